import { readFileSync } from 'node:fs';
import { devices, expect, test } from '@playwright/test';
import yauzl from 'yauzl';
import { E2E_ADMIN } from '../../playwright.config';
import { SignInPage, ViewerPage } from './pages';

const PATIENT = { email: 'patient@demo.cohort.local', password: 'demo-patient-01' };

/** The names in a zip file, read with an independent reader. */
function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(readFileSync(file), { lazyEntries: false }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName));
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
    }),
  );
}

test('a patient, on a phone, opens, downloads and shares their study, withdraws the link, and sees every access', async ({ browser, page }, testInfo) => {
  test.setTimeout(180_000);
  const phone = await browser.newContext({ ...devices['Pixel 7'] });
  const mobile = await phone.newPage();
  await new SignInPage(mobile).signInAs(PATIENT.email, PATIENT.password);
  await mobile.goto('/me');
  const study = mobile.getByTestId('my-study').first();
  await expect(study).toBeVisible();
  const studyId = (await study.getAttribute('data-study-id'))!;

  // Open: the read-only viewer draws the image, with viewing tools only, on the phone's screen.
  await study.getByRole('link', { name: 'Open' }).click();
  await expect(mobile).toHaveURL(new RegExp(`/me/studies/${studyId}/viewer$`));
  const viewer = new ViewerPage(mobile);
  await expect(mobile.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await viewer.waitForRendered(0);
  expect((await viewer.canvasStats(0)).std, 'an image, not a flat colour').toBeGreaterThan(10);
  await expect(mobile.getByRole('button', { name: /Brush|Eraser|Save/ })).toHaveCount(0);
  const box = (await viewer.viewport(0).boundingBox())!;
  expect(box.width, 'the image takes the phone’s width').toBeGreaterThan(devices['Pixel 7'].viewport.width * 0.9);
  await testInfo.attach('patient-viewer-phone.png', { body: await mobile.screenshot(), contentType: 'image/png' });
  await mobile.getByRole('link', { name: '← My studies' }).click();
  // Another study's viewer (here: no such study) is a 404 page, and the attempt is logged (checked below).
  const elsewhere = await mobile.goto('/me/studies/00000000-0000-4000-8000-000000000000/viewer');
  expect(elsewhere?.status()).toBe(404);
  await mobile.goto('/me');

  // Download: a progress bar, then a zip of the originals with a DICOMDIR.
  const [download] = await Promise.all([mobile.waitForEvent('download'), study.getByRole('button', { name: 'Download (DICOM)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^study-.+\.zip$/);
  const names = await zipNames((await download.path())!);
  expect(names).toContain('DICOMDIR');
  expect(names.filter((n) => n.startsWith('DICOM/'))).toHaveLength(64);
  await expect(study.getByRole('status')).toContainText('Saved as');
  // Pictures for people without a DICOM viewer: a PNG per image.
  const [picturesZip] = await Promise.all([mobile.waitForEvent('download'), study.getByRole('button', { name: 'Pictures (PNG)' }).click()]);
  expect(picturesZip.suggestedFilename()).toMatch(/-pictures\.zip$/);
  expect((await zipNames((await picturesZip.path())!)).filter((n) => n.endsWith('.png'))).toHaveLength(64);

  // Share: an expiring link, shown once.
  const panel = study.getByTestId('share-panel');
  await panel.getByRole('button', { name: 'Share…' }).click();
  await panel.getByLabel('Works for').selectOption('7');
  await panel.getByLabel('For whom (only you see this)').fill('Dr. Silva, second opinion');
  await panel.getByRole('button', { name: 'Make link' }).click();
  const url = await panel.getByTestId('share-url').inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  await expect(panel.getByTestId('share-links').locator('li[data-status="active"]', { hasText: 'Dr. Silva' })).toBeVisible();

  // The doctor, with no account, on another phone: the viewer and the download through the link.
  const doctorContext = await browser.newContext({ ...devices['Pixel 7'] });
  const doctor = await doctorContext.newPage();
  await doctor.goto(url);
  await expect(doctor.getByRole('heading', { name: /^Shared with you/ })).toBeVisible();
  const shared = new ViewerPage(doctor);
  await expect(doctor.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await shared.waitForRendered(0);
  expect((await shared.canvasStats(0)).std).toBeGreaterThan(10);
  const zip = await doctor.request.get(`${url}/download`);
  expect(zip.status()).toBe(200);
  // Next.js drops Content-Length from route handlers: the length travels in x-archive-bytes.
  expect((await zip.body()).length).toBe(Number(zip.headers()['x-archive-bytes']));
  await testInfo.attach('shared-viewer-phone.png', { body: await doctor.screenshot(), contentType: 'image/png' });

  // Withdrawn: the link stops working at once, and says nothing about the study.
  await mobile.reload();
  const link = mobile.getByTestId('my-study').first().getByTestId('share-links').locator('li', { hasText: 'Dr. Silva' });
  await expect(link).toContainText('last used');
  await link.getByRole('button', { name: 'Withdraw' }).click();
  await expect(mobile.getByTestId('my-study').first().getByTestId('share-links').locator('li[data-status="revoked"]', { hasText: 'Dr. Silva' })).toBeVisible();
  await doctor.goto(url);
  await expect(doctor.getByTestId('share-link-invalid')).toContainText('This link does not work');
  await expect(doctor.getByText(/CT|CHEST|Phantom/i)).toHaveCount(0);
  await doctor.goto(`${url.slice(0, -4)}AAAA`);
  await expect(doctor.getByTestId('share-link-invalid')).toBeVisible();

  // Who looked: the doctor's views and download through the link, in plain words.
  await mobile.reload();
  const accesses = mobile.getByTestId('study-accesses');
  await expect(accesses).toContainText('Someone with your share link “Dr. Silva, second opinion” viewed your');
  await expect(accesses).toContainText('Someone with your share link “Dr. Silva, second opinion” downloaded your');
  await expect(accesses).toContainText('You downloaded your');
  await testInfo.attach('who-looked-phone.png', { body: await mobile.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The admin searches the whole log and exports it.
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/admin');
  await page.getByRole('link', { name: /Access log/ }).click();
  await page.getByLabel('How').selectOption('download');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/how=download/);
  const rows = page.getByTestId('access-log').locator('tbody tr');
  await expect(rows.filter({ hasText: 'Alex Morgan' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: 'Someone with a patient’s share link' }).first()).toBeVisible();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toMatch(/^time,outcome,how,reader/);
  expect(text).toContain(',download,');
  await page.goto(`/admin/access-log?outcome=denied&user=${encodeURIComponent(PATIENT.email)}`);
  await expect(page.getByTestId('access-log').locator('tbody tr[data-outcome="denied"]', { hasText: 'Alex Morgan' }).first()).toBeVisible();
  await phone.close();
  await doctorContext.close();
});
