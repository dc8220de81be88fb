import { expect, test } from '@playwright/test';
import { SignInPage } from './pages';

const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };

test('a radiologist opts in to be credited by name in datasets, is told what a name may not hold, and opts out again', async ({ page }, testInfo) => {
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await page.goto('/account');
  const credit = page.getByTestId('credit-name');
  await expect(credit.getByRole('checkbox')).not.toBeChecked();

  await credit.getByRole('checkbox').check();
  // Offered under the account's name, changed to how they sign their reports.
  await expect(credit.getByTestId('credit-name-input')).not.toHaveValue('');
  await credit.getByTestId('credit-name-input').fill('Dr. Demo | Radiology');
  await credit.getByRole('button', { name: 'Save' }).click();
  await expect(credit.getByRole('alert')).toContainText('No control characters, |');

  await credit.getByTestId('credit-name-input').fill('Dr. Demo Radiologist, MD');
  await credit.getByRole('button', { name: 'Save' }).click();
  await expect(credit.getByRole('status')).toHaveText('Saved: credited as “Dr. Demo Radiologist, MD”.');
  await testInfo.attach('account-credit.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  await page.reload();
  await expect(credit.getByRole('checkbox')).toBeChecked();
  await expect(credit.getByTestId('credit-name-input')).toHaveValue('Dr. Demo Radiologist, MD');

  await credit.getByRole('checkbox').uncheck();
  await credit.getByRole('button', { name: 'Save' }).click();
  await expect(credit.getByRole('status')).toHaveText('Saved: you are credited by pseudonym only.');
  await page.reload();
  await expect(credit.getByRole('checkbox')).not.toBeChecked();
});
