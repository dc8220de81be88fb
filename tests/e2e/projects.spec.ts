import { expect, test } from '@playwright/test';
import { SignInPage } from './pages';

const ML = { email: 'ml@demo.cohort.local', password: 'demo-ml-engineer' };
const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
const NAME = 'Chest CT: lungs (e2e)';

test('an ML engineer sets a project up from the UI, with a coded schema and studies by query, then archives it', async ({ browser }, testInfo) => {
  const sam = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  await new SignInPage(sam).signInAs(ML.email, ML.password);
  await sam.goto('/projects/new');
  await sam.getByLabel('Name', { exact: true }).fill(NAME);
  await sam.getByLabel('Purpose').fill('Lung masks for a nodule model.');
  await sam.getByLabel('Patient consent needed').selectOption('ai_training');
  await sam.getByLabel('Modalities to label').fill('CT');
  await sam.getByLabel('Independent readers per study').fill('1');
  await sam.getByRole('group', { name: 'Readers' }).getByLabel(/Dana Reyes/).check();
  await sam.getByRole('group', { name: 'Reviewers' }).getByLabel(/Lee Chen/).check();
  await sam.getByLabel('Segment 1 name').fill('Left lung');
  await sam.getByLabel('Segment 1 code', { exact: true }).fill('44029006');
  await sam.getByRole('button', { name: 'Add question' }).click();
  await sam.getByLabel('Question 1', { exact: true }).fill('Contrast');
  await sam.getByLabel('Question 1 choices').fill('Yes, No');
  await sam.getByLabel('Required to submit').uncheck();
  await sam.getByRole('button', { name: 'Create project' }).click();
  await expect(sam.getByRole('heading', { name: NAME })).toBeVisible();
  const projectId = new URL(sam.url()).pathname.split('/').pop()!;

  // The schema was stored as typed: the code with its scheme and meaning, the optional question.
  const detail = (await (await sam.request.get(`/api/projects/${projectId}`)).json()) as { schema: { schema: { segments: unknown[]; questions: { required: boolean }[] } } };
  expect(detail.schema.schema.segments).toEqual([expect.objectContaining({ value: 1, name: 'Left lung', code: { scheme: 'SCT', value: '44029006', meaning: 'Left lung' } })]);
  expect(detail.schema.schema.questions[0]!.required).toBe(false);

  // Studies by worklist query.
  const add = sam.getByRole('form', { name: 'Add studies' });
  await add.getByLabel('Modality').fill('CT');
  await add.getByRole('button', { name: 'Add matching studies' }).click();
  await expect(add.getByRole('status')).toContainText(/Added [1-9]\d* stud/);
  // Their patients, who have not decided on AI training, are asked in their portal.
  await expect(add.getByRole('status')).toContainText(/Asked the patients of [1-9]\d* stud\w+ for consent/);
  await expect(sam.getByLabel('Patient consent needed')).toHaveValue('ai_training');
  // Declared again for teaching: the same studies' patients are asked about that use too.
  await sam.getByLabel('Patient consent needed').selectOption('education');
  await expect(sam.getByTestId('consent-purpose').getByRole('status')).toHaveText(/Asked the patients of [1-9]\d* stud\w+ for consent|Saved/);
  await expect(sam.getByRole('table', { name: 'Project studies' }).getByRole('row')).not.toHaveCount(1);
  await testInfo.attach('project-created.png', { body: await sam.screenshot({ fullPage: true }), contentType: 'image/png' });

  // Dana, its reader, sees it.
  const dana = await (await browser.newContext()).newPage();
  await new SignInPage(dana).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await dana.goto('/projects');
  await expect(dana.getByRole('link', { name: NAME })).toBeVisible();

  // Archived: read-only for Sam, gone for Dana, listed under the archived projects.
  sam.once('dialog', (d) => void d.accept());
  await sam.getByRole('button', { name: 'Archive project' }).click();
  await expect(sam.getByText(/^Archived on \d{4}-\d{2}-\d{2}$/)).toBeVisible();
  await expect(sam.getByRole('form', { name: 'Add studies' })).toHaveCount(0);
  await expect(sam.getByRole('button', { name: 'Restore project' })).toBeVisible();
  await dana.reload();
  await expect(dana.getByRole('link', { name: NAME })).toHaveCount(0);
  expect((await dana.request.get(`/api/projects/${projectId}`)).status()).toBe(404);
  await sam.goto('/projects');
  await expect(sam.getByRole('link', { name: NAME })).toHaveCount(0);
  await sam.getByRole('link', { name: 'Archived projects' }).click();
  await expect(sam.getByRole('link', { name: NAME })).toBeVisible();
  await testInfo.attach('projects-archived.png', { body: await sam.screenshot(), contentType: 'image/png' });
});
