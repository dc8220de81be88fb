import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN, E2E_PORT } from '../../playwright.config';
import { SignInPage } from './pages';
import { samplesUnder } from '../helpers/dicom-samples';
import { startOrthanc, type Orthanc } from '../helpers/orthanc';

let orthanc: Orthanc;
test.beforeAll(async () => {
  orthanc = await startOrthanc();
});
test.afterAll(async () => orthanc?.stop());

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test("Orthanc's DICOMweb client, given an access token made on the tokens page, queries Cohort and retrieves a study byte for byte", async ({ page }) => {
  // Files no other end-to-end test stores: one MR image in nine transfer syntaxes.
  const files = samplesUnder('valid/dcm_qa_ts');
  // The admin makes a token for the PACS on the access-tokens page, and copies it.
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/account');
  await page.getByRole('link', { name: 'Access tokens' }).click();
  await expect(page.getByRole('heading', { name: 'Access tokens' })).toBeVisible();
  await expect(page.getByText('No token yet.')).toBeVisible();
  await page.getByLabel('Name (the program that will use it)').fill('Orthanc e2e');
  await page.getByLabel('Expires after').selectOption('7');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').innerText()).trim();
  expect(token).toMatch(/^cohort_pat_/);
  await expect(page.getByTestId('access-tokens')).toContainText('Orthanc e2e');
  await expect(page.getByTestId('access-tokens')).toContainText('never');
  const authorization = `Bearer ${token}`;

  // Cohort holds the series (stored over its own STOW-RS, with the token)...
  const boundary = 'orthanc-e2e';
  const body = Buffer.concat([
    ...files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(f), Buffer.from('\r\n')]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const stored = await fetch(`http://127.0.0.1:${E2E_PORT}/dicomweb/studies`, {
    method: 'POST',
    body,
    headers: { authorization, 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` },
  });
  expect(stored.status).toBe(200);
  const studyUid = ((await stored.json())['00081190'].Value[0] as string).split('/').pop()!;

  // ...and Orthanc, told where Cohort is and given the token, searches and pulls it like any DICOMweb server.
  const put = await fetch(`${orthanc.restUrl}/dicom-web/servers/cohort`, {
    method: 'PUT',
    body: JSON.stringify({ Url: `http://127.0.0.1:${E2E_PORT}/dicomweb/`, HttpHeaders: { Authorization: authorization } }),
  });
  expect(put.ok).toBe(true);
  const qido = await fetch(`${orthanc.restUrl}/dicom-web/servers/cohort/qido`, {
    method: 'POST',
    body: JSON.stringify({ Uri: '/studies', Arguments: { PatientName: 'stc*' } }),
  });
  expect(qido.ok).toBe(true);
  const answer = JSON.stringify(await qido.json());
  expect(answer).toContain(studyUid);
  expect(answer).toContain('stc_test');

  const retrieve = await fetch(`${orthanc.restUrl}/dicom-web/servers/cohort/retrieve`, {
    method: 'POST',
    body: JSON.stringify({ Resources: [{ Study: studyUid }] }),
  });
  expect(retrieve.ok, `${await retrieve.clone().text()}\n${orthanc.log().slice(-3000)}`).toBe(true);
  const ids = (await (await fetch(`${orthanc.restUrl}/instances`)).json()) as string[];
  expect(ids).toHaveLength(files.length);
  const theirs = await Promise.all(ids.map(async (id) => sha(new Uint8Array(await (await fetch(`${orthanc.restUrl}/instances/${id}/file`)).arrayBuffer()))));
  expect(theirs.sort()).toEqual(files.map((f) => sha(readFileSync(f))).sort());

  // The tokens page shows it was used; revoked there, it opens nothing more.
  await page.reload();
  await expect(page.getByTestId('access-tokens')).not.toContainText('never');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('access-tokens')).toContainText('revoked');
  const after = await fetch(`http://127.0.0.1:${E2E_PORT}/dicomweb/studies`, { headers: { authorization } });
  expect(after.status).toBe(401);
});
