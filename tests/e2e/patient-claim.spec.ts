import { devices, expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { SignInPage } from './pages';

test('an admin issues a claim code; the patient opens an account with it on a phone and sees exactly their studies', async ({ page, browser }, testInfo) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin');
  await page.getByRole('link', { name: /Patients and claim codes/ }).click();
  // The demo CT's patient is claimed by the demo patient account already.
  await expect(page.getByTestId('patient').filter({ hasText: 'DEMO-CT-0001' }).getByTestId('claim-state')).toHaveText('Claimed by patient@demo.cohort.local');

  // An unclaimed patient gets a code: shown once, as text and a QR code, with a letter to print.
  const unclaimed = page.getByTestId('patient').filter({ has: page.getByRole('button', { name: 'Issue a code' }) }).first();
  const patientKey = (await unclaimed.getAttribute('data-patient-key'))!;
  // Found again by its ID: once issued, its button says "Issue a new code".
  const patient = page.locator(`[data-testid="patient"][data-patient-key="${patientKey}"]`);
  const studies = Number((await patient.innerText()).match(/(\d+) stud(y|ies)/)![1]);
  await patient.getByRole('button', { name: 'Issue a code' }).click();
  const letter = patient.getByTestId('claim-letter');
  await expect(letter.getByRole('img', { name: 'QR code of the claim link' })).toBeVisible();
  const code = (await letter.getByTestId('claim-code').innerText()).trim();
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await expect(patient.getByTestId('claim-state')).toContainText('Code open until');
  await testInfo.attach('claim-letter.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The patient, on a phone: a mistyped code is refused with the reason, the right one opens the account.
  const phone = await browser.newContext({ ...devices['Pixel 7'] });
  const mobile = await phone.newPage();
  await mobile.goto('/sign-in');
  await mobile.getByRole('link', { name: 'Open your account' }).click();
  const form = mobile.getByRole('form', { name: 'Open your account' });
  const email = `patient-${Date.now()}@e2e.test`;
  await form.getByLabel('Code from your letter').fill('ABCD-EFGH-JKMN-PQRS');
  await form.getByLabel('Your name').fill('Robin Claimant');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Choose a password').fill('my own long password');
  await form.getByLabel('The same password again').fill('my own long password');
  await form.getByRole('button', { name: 'Open my account' }).click();
  await expect(form.getByRole('alert')).toContainText('This code is not valid');
  await form.getByLabel('Code from your letter').fill(code.toLowerCase());
  await form.getByRole('button', { name: 'Open my account' }).click();
  await expect(mobile).toHaveURL(/\/me$/);
  await expect(mobile.getByRole('heading', { name: 'My studies' })).toBeVisible();
  await expect(mobile.getByTestId('my-study')).toHaveCount(studies);
  await testInfo.attach('my-studies-phone.png', { body: await mobile.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The admin sees who claimed; the code cannot be used a second time.
  await page.reload();
  await expect(patient.getByTestId('claim-state')).toHaveText(`Claimed by ${email}`);
  const again = await mobile.request.post('/api/me/claims', { data: { code } });
  expect(again.status()).toBe(409);
  await phone.close();
});
