import { expect, test, type Browser } from '@playwright/test';
import { SignInPage } from './pages';

/** A signed-in browser context of a demo user, whose `request` calls the API with their session. */
async function signedIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new SignInPage(page).signInAs(email, password);
  return page;
}

type Project = { id: string; name: string; studies: { studyId: string; patientId: string | null; annotations: { annotationId: string; readerId: string; status: string }[] }[] };
type Annotation = { id: string; status: string; version: number; canEdit: boolean; schema: { version: number; schema: { questions: { id: string; choices: { id: string; label: string }[] }[] } } };

test('an ML engineer defines a dataset, previews it, publishes a version to IPFS and opens its signed manifest', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // The demo radiologist answers the quality question on the demo CT and submits; the research lead accepts.
  const reader = await signedIn(browser, 'radiologist@demo.cohort.local', 'demo-radiologist');
  const { projects } = (await (await reader.request.get('/api/projects')).json()) as { projects: { id: string }[] };
  let target: { projectId: string; studyId: string } | null = null;
  for (const { id } of projects) {
    const project = (await (await reader.request.get(`/api/projects/${id}`)).json()) as Project;
    const study = project.studies.find((s) => s.patientId === 'DEMO-CT-0001');
    if (study) target = { projectId: id, studyId: study.studyId };
  }
  expect(target).not.toBeNull();
  const opened = (await (await reader.request.post(`/api/projects/${target!.projectId}/studies/${target!.studyId}/annotation`)).json()) as Annotation;
  const question = opened.schema.schema.questions[0]!;
  if (opened.canEdit) {
    const saved = await reader.request.put(`/api/annotations/${opened.id}`, {
      data: { baseVersion: opened.version, schemaVersion: opened.schema.version, reason: 'submit', content: { answers: [{ questionId: question.id, choiceIds: [question.choices[0]!.id] }] } },
    });
    expect(saved.ok(), await saved.text()).toBe(true);
  }
  const lead = await signedIn(browser, 'lead@demo.cohort.local', 'demo-research-lead');
  const accepted = await lead.request.post(`/api/annotations/${opened.id}/review`, { data: { decision: 'accept' } });
  expect([200, 409]).toContain(accepted.status());

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
  const projectBox = form.getByRole('checkbox').first();
  if (!(await projectBox.isChecked())) await projectBox.check();
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('dataset-preview');
  await expect(preview.getByTestId('preview-included')).toHaveText('1');
  await expect(preview.getByTestId('exclusion-reasons')).toContainText('Not labeled yet');
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
