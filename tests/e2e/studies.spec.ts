import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { sample } from '../helpers/dicom-samples';
import { largeDicom } from '../helpers/large-dicom';
import { SignInPage } from './pages';

test('an admin uploads a folder, a broken file and a zip bomb, then finds the study in the study list', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/studies');
  await page.getByRole('link', { name: /Upload DICOM/ }).first().click();
  await expect(page).toHaveURL(/\/studies\/upload$/);

  await page.getByTestId('folder-input').setInputFiles(sample('valid/pydicom/dicomdirtests/98892003/MR700'));
  await page.getByTestId('file-input').setInputFiles([sample('invalid/ours/trunc_in_pixeldata.dcm'), sample('invalid/ours/zip_bomb_200MiB.zip')]);
  await expect(page.getByTestId('upload-summary')).toHaveText('7 stored · 0 already stored · 2 refused', { timeout: 30_000 });
  await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute('aria-valuenow', '100');
  const broken = page.getByTestId('upload-row').filter({ hasText: 'trunc_in_pixeldata.dcm' });
  await expect(broken).toHaveAttribute('data-status', 'rejected');
  await expect(broken).toContainText('It is truncated: its Pixel Data declares 512 bytes but only 256 follow.');
  await expect(page.getByTestId('upload-row').filter({ hasText: 'zip_bomb' })).toContainText('likely zip bomb');

  // The same folder again: nothing new.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await page.getByTestId('folder-input').setInputFiles(sample('valid/pydicom/dicomdirtests/98892003/MR700'));
  await expect(page.getByTestId('upload-summary')).toHaveText('0 stored · 7 already stored · 0 refused');

  await page.goto('/studies');
  await page.getByLabel('Search').fill('doe');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByTestId('study-table').locator('tbody tr').filter({ hasText: 'MR' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Doe, Peter');
  await expect(row).toContainText('1 / 7');
  await row.getByRole('link', { name: 'Doe, Peter', exact: true }).click();
  await expect(page.getByTestId('study-facts')).toContainText('Doe, Peter');
  await expect(page.getByTestId('series-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('series-table')).toContainText('MR');
  // The series thumbnail, rendered by the server from the stored pixels.
  const thumbnail = page.getByTestId('series-table').getByRole('img', { name: 'MR preview' });
  await expect(thumbnail).toBeVisible();
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});

test('compressed colour gets a picture: a JPEG ultrasound uploaded is shown in the study list and on its study page', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/studies/upload');
  await page.getByTestId('file-input').setInputFiles(sample('valid/pydicom/examples_ybr_color.dcm'));
  await expect(page.getByTestId('upload-summary')).toHaveText(/^[01] stored · [01] already stored · 0 refused$/, { timeout: 30_000 });
  await page.goto('/studies');
  await page.getByLabel('Search').fill('PLA');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByTestId('study-table').locator('tbody tr').filter({ hasText: 'US' });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: 'PLA', exact: true }).click();
  // Decoded on the server (libjpeg-turbo, YCbCr to RGB) and drawn as a colour PNG.
  const thumbnail = page.getByTestId('series-table').getByRole('img', { name: 'US preview' });
  await expect(thumbnail).toBeVisible();
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(128);
  const png = await page.request.get((await thumbnail.getAttribute('src'))!);
  expect(png.headers()['content-type']).toBe('image/png');
  expect((await png.body())[25]).toBe(2); // IHDR colour type 2: truecolour
});

test('a large file goes up in chunks and resumes from where the server stopped after a dropped connection', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/studies/upload');
  const seen: string[] = [];
  let dropped = false;
  await page.route('**/api/uploads/*', async (route) => {
    const request = route.request();
    const offset = request.headers()['upload-offset'];
    seen.push(`${request.method()}${offset ? ` ${offset}` : ''}`);
    // The second chunk never arrives: the connection drops under it.
    if (request.method() === 'PATCH' && offset !== '0' && !dropped) {
      dropped = true;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  const file = largeDicom();
  await page.getByTestId('file-input').setInputFiles({ name: 'large.dcm', mimeType: 'application/dicom', buffer: file });
  await expect(page.getByTestId('upload-summary')).toHaveText('1 stored · 0 already stored · 0 refused', { timeout: 60_000 });
  // The first chunk was sent once; after the drop the browser asked where to go on, and sent only the rest.
  const CHUNK = 8 * 1024 * 1024;
  expect(seen).toEqual(['PATCH 0', `PATCH ${CHUNK}`, 'GET', `PATCH ${CHUNK}`]);
  await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute('aria-valuenow', '100');
});

test('a radiologist sees the study list but cannot upload', async ({ page }) => {
  await new SignInPage(page).signInAs('radiologist@demo.cohort.local', 'demo-radiologist');
  await page.goto('/studies');
  await expect(page.getByRole('heading', { name: 'Studies' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Upload DICOM/ })).toHaveCount(0);
  const res = await page.goto('/studies/upload');
  expect(res?.status()).toBe(403);
});
