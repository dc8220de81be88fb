import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN, E2E_PORT } from '../../playwright.config';
import { samplesUnder } from '../helpers/dicom-samples';
import { startOrthanc, type Orthanc } from '../helpers/orthanc';

let orthanc: Orthanc;
test.beforeAll(async () => {
  orthanc = await startOrthanc();
});
test.afterAll(async () => orthanc?.stop());

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test("Orthanc's DICOMweb client queries Cohort and retrieves a study from it, byte for byte", async ({ request }) => {
  // Files no other end-to-end test stores: one MR image in nine transfer syntaxes.
  const files = samplesUnder('valid/dcm_qa_ts');
  // Cohort holds the series (stored over its own STOW-RS)...
  const signIn = await request.post('/api/auth/sign-in/email', {
    data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
    headers: { origin: `http://localhost:${E2E_PORT}` },
  });
  expect(signIn.ok()).toBe(true);
  const cookie = signIn.headers()['set-cookie']!.split('\n').map((c) => c.split(';')[0]).join('; ');
  const boundary = 'orthanc-e2e';
  const body = Buffer.concat([
    ...files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(f), Buffer.from('\r\n')]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const stored = await request.post('/dicomweb/studies', { data: body, headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` } });
  expect(stored.status()).toBe(200);
  const studyUid = ((await stored.json())['00081190'].Value[0] as string).split('/').pop()!;

  // ...and Orthanc, told where Cohort is (with the session), searches and pulls it like any DICOMweb server.
  const put = await fetch(`${orthanc.restUrl}/dicom-web/servers/cohort`, {
    method: 'PUT',
    body: JSON.stringify({ Url: `http://127.0.0.1:${E2E_PORT}/dicomweb/`, HttpHeaders: { Cookie: cookie } }),
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
});
