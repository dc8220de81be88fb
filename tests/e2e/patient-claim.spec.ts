import { devices, expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { SignInPage } from './pages';

test('an admin issues a claim code; the patient opens an account with it on a phone, sees exactly their studies, allows research and revokes it for one', async ({ page, browser }, testInfo) => {
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
  await expect(mobile.getByRole('heading', { name: 'My studies', exact: true })).toBeVisible();
  await expect(mobile.getByTestId('my-study')).toHaveCount(studies);

  // Research allowed for all their studies, then revoked for one, after a confirmation saying what that does.
  const all = mobile.getByRole('switch', { name: 'Research for all your studies' });
  await all.click();
  await expect(all).toHaveAttribute('aria-checked', 'true');
  const study = mobile.getByTestId('my-study').first();
  const research = study.getByRole('switch', { name: 'Research for this study' });
  await expect(research).toHaveAttribute('aria-checked', 'true');
  // The worklist and the demo project (which holds the study) show what consent allows, as it changes.
  const studyId = (await study.getAttribute('data-study-id'))!;
  await page.goto('/studies');
  const listed = page.getByTestId('study-table').locator('tr', { has: page.locator(`a[href="/studies/${studyId}"]`) });
  await expect(listed.getByTestId('study-consent')).toHaveText('Research');
  await page.goto('/projects');
  await page.getByRole('link', { name: 'Demo: CT body, lungs and bone' }).click();
  const row = page.locator('tr', { has: page.locator(`a[href$="/studies/${studyId}"]`) });
  await expect(row.getByTestId('study-consent')).toHaveText('Research');
  await research.click();
  const confirm = study.getByRole('alertdialog');
  await expect(confirm).toContainText('No dataset published from now on will include it');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(research).toHaveAttribute('aria-checked', 'false');
  await expect(study.locator('[data-testid="consent"][data-purpose="research"]')).toHaveAttribute('data-state', 'revoked');
  await expect(all).toHaveAttribute('aria-checked', 'true');
  await expect(mobile.getByTestId('consent-history').getByRole('listitem')).toHaveCount(2);
  await page.reload();
  await expect(row.getByTestId('study-consent')).toHaveText('nothing yet');

  // A project for AI training takes the study: the patient is asked, in plain words, and approves.
  const created = await page.request.post('/api/projects', {
    data: { name: 'Nodule finder (e2e)', purpose: 'Train a model that finds lung nodules.', consentPurpose: 'ai_training', schema: { segments: [{ value: 1, name: 'Nodule', color: '#ff0000' }] }, readers: [], reviewers: [] },
  });
  const { id: projectId } = (await created.json()) as { id: string };
  expect((await (await page.request.post(`/api/projects/${projectId}/studies`, { data: { studyIds: [studyId] } })).json()).consentRequests).toBe(1);
  await mobile.reload();
  const request = mobile.getByTestId('consent-request');
  await expect(request).toContainText('“Nodule finder (e2e)” asks to use your');
  await expect(request).toContainText('for ai training');
  await expect(request).toContainText('On IPFS, encrypted');
  await request.getByRole('button', { name: 'Approve' }).click();
  await expect(request).toHaveCount(0);
  await expect(study.locator('[data-testid="consent"][data-purpose="ai_training"]')).toHaveAttribute('data-state', 'granted');
  await expect(mobile.getByTestId('consent-history').getByRole('listitem')).toHaveCount(3);
  await testInfo.attach('my-studies-phone.png', { body: await mobile.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The admin sees who claimed; the code cannot be used a second time.
  await page.goto('/admin/patients');
  await expect(patient.getByTestId('claim-state')).toHaveText(`Claimed by ${email}`);
  const again = await mobile.request.post('/api/me/claims', { data: { code } });
  expect(again.status()).toBe(409);
  await phone.close();
});
