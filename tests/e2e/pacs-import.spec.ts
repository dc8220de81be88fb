import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { samplesUnder } from '../helpers/dicom-samples';
import { startOrthanc, type Orthanc } from '../helpers/orthanc';
import { SignInPage } from './pages';

let orthanc: Orthanc;
test.beforeAll(async () => {
  orthanc = await startOrthanc({ user: { name: 'radiology', password: 'pacs-pass' } });
  await orthanc.upload(samplesUnder('valid/pydicom/dicomdirtests/77654033'));
});
test.afterAll(async () => orthanc?.stop());

test('an admin searches the PACS, imports a study in the background and finds it in the study list', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin');
  await page.getByRole('link', { name: /PACS import/ }).click();
  await page.getByLabel('DICOMweb base URL').fill(orthanc.dicomWebUrl);
  await page.getByLabel('Sign-in').selectOption('basic');
  await page.getByLabel('PACS user').fill('radiology');
  await page.getByLabel('PACS password').fill('wrong');
  await page.getByRole('button', { name: 'Search the PACS' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'refused the credentials (401)' })).toBeVisible();

  await page.getByLabel('PACS password').fill('pacs-pass');
  await page.getByLabel('Patient name').fill('Doe');
  await page.getByRole('button', { name: 'Search the PACS' }).click();
  const results = page.getByTestId('pacs-results').locator('tbody tr');
  await expect(results).toHaveCount(2); // a CR and a CT study of the same patient
  const ct = results.filter({ hasText: 'CT' });
  await expect(ct).toContainText('Doe^Archibald');
  await ct.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Import 1 study' }).click();
  const job = page.getByTestId('import-jobs').locator('li').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(job).toContainText('1 of 1 studies · 4 images stored');

  await page.goto('/studies?q=archibald');
  await expect(page.getByTestId('study-table').locator('tbody tr')).toHaveCount(1);
});
