import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Browser } from '@playwright/test';
import { E2E_ADMIN, E2E_PORT } from '../../playwright.config';
import { decodeLabelmapRle } from '../../lib/annotations/labelmap-rle.client';
import { syntheticCtSeries } from '../../lib/dicom/synthetic-ct';
import { SignInPage, ViewerPage } from './pages';

async function signedIn(browser: Browser, email: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await new SignInPage(page).signInAs(email, password);
  return page;
}

type Labelmap = { seriesInstanceUid: string; columns: number; rows: number; slices: number; rle: string };
type Annotation = { id: string; saved: { labelmaps: Labelmap[] } | null };

/**
 * The whole journey of issue 9, in the browser where people do it: an admin ingests a study; a model
 * pre-annotates it; a radiologist starts from the proposal in the viewer and submits; the lead accepts;
 * the patient, in the portal, approves the use; the ML engineer publishes a version; someone else pulls
 * it on a second IPFS node, verifies it, and the nnU-Net label volume holds the voxels saved in the viewer.
 */
test('ingest → pre-annotate → label → review → consent → publish → pull on a second node → verify → nnU-Net voxels equal the viewer label', async ({ page, browser }, testInfo) => {
  test.setTimeout(360_000);
  const patientId = `JOURNEY-${Date.now()}`;

  // 1. The admin uploads a CT series of a new patient.
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/studies/upload');
  const files = syntheticCtSeries({ slices: 6, patient: { name: 'Journey^Pat', id: patientId, birthDate: '19700101', sex: 'O' }, accessionNumber: patientId.slice(-8), studyDescription: 'Journey chest CT' });
  await page.getByTestId('file-input').setInputFiles(files.map((buffer, i) => ({ name: `slice-${i + 1}.dcm`, mimeType: 'application/dicom', buffer: Buffer.from(buffer) })));
  await expect(page.getByTestId('upload-summary')).toHaveText('6 stored · 0 already stored · 0 refused', { timeout: 60_000 });
  // … and gives the patient a claim code, with which the patient opens an account.
  const { patients } = (await (await page.request.get(`/api/admin/patients?q=${patientId}`)).json()) as { patients: { id: string; studyList: { id: string }[] }[] };
  const [{ id: patientRow, studyList: [{ id: studyId }] }] = patients as [{ id: string; studyList: [{ id: string }] }];
  const { code } = (await (await page.request.post(`/api/admin/patients/${patientRow}/claim-codes`, { data: {} })).json()) as { code: string };
  const patientEmail = `journey-${Date.now()}@e2e.test`;
  const claimed = await page.request.post('/api/claim', { data: { code, name: 'Pat Journey', email: patientEmail, password: 'journey patient passphrase' } });
  expect(claimed.status(), await claimed.text()).toBe(201);

  // 2. The ML engineer sets up a project with the demo schema and the CT model, asking for AI-training consent.
  const engineer = await signedIn(browser, 'ml@demo.cohort.local', 'demo-ml-engineer');
  const reader = await signedIn(browser, 'radiologist@demo.cohort.local', 'demo-radiologist');
  const lead = await signedIn(browser, 'lead@demo.cohort.local', 'demo-research-lead');
  const idOf = async (p: typeof reader) => ((await (await p.request.get('/api/me')).json()) as { id: string }).id;
  const { projects } = (await (await engineer.request.get('/api/projects')).json()) as { projects: { id: string; name: string }[] };
  const demo = projects.find((p) => p.name.startsWith('Demo'))!;
  const { schema } = (await (await engineer.request.get(`/api/projects/${demo.id}`)).json()) as { schema: { schema: { segments: { value: number; name: string }[] } } };
  const created = await engineer.request.post('/api/projects', {
    data: { name: `Journey ${patientId}`, schema: schema.schema, modelName: 'ct-body-lungs-bone', consentPurpose: 'ai_training', readers: [await idOf(reader)], reviewers: [await idOf(lead)] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id: projectId } = (await created.json()) as { id: string };
  const added = (await (await engineer.request.post(`/api/projects/${projectId}/studies`, { data: { studyIds: [studyId] } })).json()) as { consentRequests: number };
  expect(added.consentRequests).toBe(1);
  await engineer.goto(`/projects/${projectId}`);
  const job = engineer.getByTestId('preannotation').getByTestId('job').first();
  await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });

  // 3. The radiologist starts from the model's proposal in the viewer and submits.
  await reader.goto(`/projects/${projectId}`);
  await reader.getByRole('row').filter({ hasText: 'Journey, Pat' }).getByRole('link', { name: 'Open' }).click();
  await new ViewerPage(reader).waitForRendered(0);
  const labels = reader.getByTestId('labeling-panel');
  const proposal = labels.locator('[data-testid="ai-proposal"][data-task="segmentation"]');
  await proposal.getByRole('button', { name: 'Start from the proposal' }).click();
  await expect(proposal).toContainText('Your labels of this series started from it.');
  // The schema's required question, then submit.
  await labels.getByRole('radio', { name: 'Good' }).check();
  await labels.getByRole('button', { name: 'Submit' }).click();
  await expect(labels.getByTestId('label-status')).toHaveText('submitted');
  await testInfo.attach('journey-viewer.png', { body: await reader.screenshot(), contentType: 'image/png' });
  const mine = (await (await reader.request.post(`/api/projects/${projectId}/studies/${studyId}/annotation`)).json()) as Annotation;
  const [saved] = mine.saved!.labelmaps;
  const voxels = decodeLabelmapRle(Buffer.from(saved!.rle, 'base64'), saved!.columns * saved!.rows * saved!.slices);
  expect(voxels.some((v) => v !== 0)).toBe(true);

  // 4. The research lead accepts it.
  expect((await lead.request.post(`/api/annotations/${mine.id}/review`, { data: { decision: 'accept' } })).status()).toBe(200);

  // 5. The patient approves the request in their portal.
  const patient = await signedIn(browser, patientEmail, 'journey patient passphrase');
  await patient.goto('/me');
  const request = patient.getByTestId('consent-request');
  await expect(request).toContainText(`“Journey ${patientId}” asks to use your`);
  await request.getByRole('button', { name: 'Approve' }).click();
  await expect(request).toHaveCount(0);

  // 6. The ML engineer publishes a version from the dataset's page.
  const dataset = await engineer.request.post('/api/datasets', { data: { name: `Journey ${patientId}`, projectIds: [projectId], purpose: 'ai_training', license: 'CC-BY-NC-4.0' } });
  expect(dataset.status(), await dataset.text()).toBe(201);
  await engineer.goto(`/datasets/${((await dataset.json()) as { id: string }).id}`);
  await expect(engineer.getByTestId('preview-included')).toHaveText('1');
  await engineer.getByRole('button', { name: 'Publish a new version' }).click();
  const version = engineer.getByTestId('dataset-version-row').first();
  await expect(version).toContainText('published', { timeout: 180_000 });
  const cid = (await version.getByTestId('version-cid').innerText()).trim();
  const work = mkdtempSync(path.join(os.tmpdir(), 'cohort-journey-'));
  const keyFile = path.join(work, 'dataset.key.json');
  writeFileSync(keyFile, await (await engineer.request.get((await version.getByTestId('version-key').getAttribute('href'))!)).text());
  const { multiaddrs } = (await (await engineer.request.get('/api/ipfs/node')).json()) as { multiaddrs: string[] };
  const trustedKey = (await (await engineer.request.get('/.well-known/cohort-ledger-key')).text()).trim();

  // 7. Someone else pulls it on a second node over bitswap and verifies it.
  const out = path.join(work, 'pulled');
  const cli = execFileSync(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'scripts/cohort.ts', 'pull', cid, '--from', multiaddrs[0]!, '--key', keyFile, '--trusted-key', trustedKey, '--revocations', `http://localhost:${E2E_PORT}`, '--format', 'nnunet', '--out', out],
    { encoding: 'utf8', env: { ...process.env, COHORT_LOG_LEVEL: 'silent' } },
  );
  expect(cli).toContain('consent verified: 1/1');
  expect(cli).toContain('revocations: none since publication');
  expect(cli).toMatch(/verified\n$/);

  // 8. The nnU-Net label volume holds exactly what the radiologist saved, in nnU-Net's consecutive values.
  const [folder] = readdirSync(path.join(out, 'nnunet'));
  const labelsTr = path.join(out, 'nnunet', folder!, 'labelsTr');
  const [labelFile] = readdirSync(labelsTr);
  const nii = gunzipSync(readFileSync(path.join(labelsTr, labelFile!)));
  expect([1, 2, 3].map((i) => nii.readInt16LE(40 + 2 * i))).toEqual([saved!.columns, saved!.rows, saved!.slices]);
  const values = new Map([...schema.schema.segments].sort((a, b) => a.value - b.value).map((s, i) => [s.value, i + 1]));
  const expected = Uint8Array.from(voxels, (v) => (v === 0 ? 0 : values.get(v)!));
  expect(Buffer.compare(nii.subarray(Math.round(nii.readFloatLE(108))), Buffer.from(expected))).toBe(0);
});
