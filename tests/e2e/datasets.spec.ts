import { expect, test, type Browser } from '@playwright/test';
import { SignInPage } from './pages';

/** A signed-in browser context of a demo user, whose `request` calls the API with their session. */
async function signedIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new SignInPage(page).signInAs(email, password);
  return page;
}

type Project = { id: string; studies: { studyId: string; patientId: string | null }[] };
type Annotation = { id: string; version: number; schema: { version: number } };

test('an ML engineer defines a dataset, previews it, publishes a version to IPFS and opens its signed manifest', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const reader = await signedIn(browser, 'radiologist@demo.cohort.local', 'demo-radiologist');
  const lead = await signedIn(browser, 'lead@demo.cohort.local', 'demo-research-lead');
  const engineer = await signedIn(browser, 'ml@demo.cohort.local', 'demo-ml-engineer');
  const idOf = async (p: typeof reader) => ((await (await p.request.get('/api/me')).json()) as { id: string }).id;

  // A project of its own (other tests label the demo project), holding the demo CT, which the demo patient owns.
  const { projects } = (await (await reader.request.get('/api/projects')).json()) as { projects: { id: string }[] };
  let studyId: string | null = null;
  for (const { id } of projects) {
    const project = (await (await reader.request.get(`/api/projects/${id}`)).json()) as Project;
    studyId ??= project.studies.find((s) => s.patientId === 'DEMO-CT-0001')?.studyId ?? null;
  }
  expect(studyId).not.toBeNull();
  const projectName = `Image quality ${Date.now()}`;
  const created = await engineer.request.post('/api/projects', {
    data: {
      name: projectName,
      schema: { questions: [{ id: 'quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] }] },
      readers: [await idOf(reader)],
      reviewers: [await idOf(lead)],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const projectId = ((await created.json()) as { id: string }).id;
  expect((await engineer.request.post(`/api/projects/${projectId}/studies`, { data: { studyIds: [studyId] } })).ok()).toBe(true);

  // The radiologist answers and submits; the research lead accepts.
  const opened = (await (await reader.request.post(`/api/projects/${projectId}/studies/${studyId}/annotation`)).json()) as Annotation;
  const saved = await reader.request.put(`/api/annotations/${opened.id}`, {
    data: { baseVersion: opened.version, schemaVersion: opened.schema.version, reason: 'submit', content: { answers: [{ questionId: 'quality', choiceIds: ['good'] }] } },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  expect((await lead.request.post(`/api/annotations/${opened.id}/review`, { data: { decision: 'accept' } })).status()).toBe(200);

  // The demo patient allows AI training of all their studies.
  const patient = await signedIn(browser, 'patient@demo.cohort.local', 'demo-patient-01');
  expect((await patient.request.post('/api/me/consents', { data: { studyId: null, purpose: 'ai_training', decision: 'granted' } })).status()).toBe(201);

  // The ML engineer defines the dataset in the UI and previews it before saving.
  await new SignInPage(page).signInAs('ml@demo.cohort.local', 'demo-ml-engineer');
  await page.goto('/datasets');
  await page.getByRole('link', { name: /Define the first dataset|New dataset/ }).first().click();
  const form = page.getByRole('form', { name: 'New dataset' });
  await form.getByLabel('Name').fill(`Demo quality ${Date.now()}`);
  await form.getByLabel(/Use \(the consent/).selectOption('ai_training');
  await form.getByRole('checkbox', { name: projectName }).check();
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('dataset-preview');
  await expect(preview.getByTestId('preview-included')).toHaveText('1');
  await expect(preview.getByTestId('class-balance-row').first()).toBeVisible();
  await testInfo.attach('dataset-preview.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await form.getByRole('button', { name: 'Create dataset' }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);

  // Publishing shows its progress, then the version with its CID, manifest, CAR and key.
  await page.getByRole('button', { name: 'Publish a new version' }).click();
  const version = page.getByTestId('dataset-version-row').first();
  await expect(version).toContainText('published', { timeout: 180_000 });
  await expect(version).toContainText('v1');
  const cid = (await version.getByTestId('version-cid').innerText()).trim();
  expect(cid).toMatch(/^bafy/);
  await testInfo.attach('dataset-version.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  const manifest = await page.request.get(`/ipfs/${cid}/manifest.json`);
  expect(manifest.ok()).toBe(true);
  const body = (await manifest.json()) as { format: string; studies: unknown[]; encryption: { keyId: string } | null };
  expect(body).toMatchObject({ format: 'cohort-dataset-manifest', studies: [expect.anything()] });
  const key = await page.request.get((await version.getByTestId('version-key').getAttribute('href'))!);
  expect(((await key.json()) as { keyId: string }).keyId).toBe(body.encryption!.keyId);
  const car = await page.request.get(`/ipfs/${cid}?format=car`);
  expect(car.headers()['content-type']).toContain('application/vnd.ipld.car');
});
