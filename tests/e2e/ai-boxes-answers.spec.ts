import { expect, test } from '@playwright/test';
import { airFractionModel, fixedBoxesModel, type FixtureModel } from '../helpers/fixture-models';
import { SignInPage, ViewerPage } from './pages';

const PROJECT = 'AI boxes and answers (e2e)';
const DEMO_CT = 'CT CHEST ABDOMEN (synthetic phantom)';

test('a detection and a classification model: added from /models, run on a project, their boxes and answer taken and corrected in the viewer, measured on the model page', async ({ page }, testInfo) => {
  // Two uploads, two pre-annotation jobs over the 64-slice phantom, one viewer load.
  test.setTimeout(240_000);
  // Lee, the research lead, is both ML engineer and radiologist.
  await new SignInPage(page).signInAs('lead@demo.cohort.local', 'demo-research-lead');

  await page.goto('/models');
  const form = page.getByRole('form', { name: 'Add a model' });
  const upload = async ({ onnx, manifest }: FixtureModel) => {
    await form.getByLabel('manifest.json').setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) });
    await form.getByLabel('Model (.onnx)').setInputFiles({ name: 'model.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(onnx) });
    await form.getByRole('button', { name: 'Add model' }).click();
    await expect(form.getByRole('status')).toContainText(`Added ${String(manifest.name)}: it passed every check`);
  };
  await upload(fixedBoxesModel('e2e-lesion-boxes', ['Lesion', 'Mass']));
  await upload(airFractionModel('e2e-quality', ['Good', 'Poor']));
  await expect(page.getByRole('article', { name: 'e2e-lesion-boxes' })).toContainText('detection');

  // A project with a box class and a question, holding the phantom, read by Lee.
  const me = (await (await page.request.get('/api/me')).json()) as { id: string };
  const created = await page.request.post('/api/projects', {
    data: {
      name: PROJECT,
      schema: {
        boxes: [{ id: 'lesion', name: 'Lesion', color: '#e63946' }],
        questions: [{ id: 'image_quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'acceptable', label: 'Acceptable' }, { id: 'poor', label: 'Poor' }] }],
      },
      readers: [me.id],
      reviewers: [],
    },
  });
  expect(created.status()).toBe(201);
  const { id: projectId } = (await created.json()) as { id: string };
  expect((await page.request.post(`/api/projects/${projectId}/studies`, { data: { query: { description: 'synthetic phantom' } } })).ok()).toBe(true);

  // Each model attached in turn and run over the study, with live progress to its proposal.
  await page.goto(`/projects/${projectId}`);
  const panel = page.getByTestId('preannotation');
  for (const model of ['e2e-lesion-boxes', 'e2e-quality']) {
    await panel.getByLabel('Model').selectOption(model);
    await expect(panel.getByRole('status')).toContainText(`Attached ${model}`);
    await panel.getByRole('button', { name: 'Pre-annotate' }).click();
    const job = panel.getByTestId('job').filter({ hasText: model });
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(job).toContainText(/Proposal ready: 64 slices/);
  }

  // In the viewer: both proposals offered for the series; Lee takes the boxes and the answer.
  await page.getByRole('row').filter({ hasText: DEMO_CT }).getByRole('link', { name: 'Open' }).click();
  await new ViewerPage(page).waitForRendered(0);
  const labels = page.getByTestId('labeling-panel');
  await expect(labels).toHaveAttribute('data-save', 'saved');
  const boxes = labels.locator('[data-testid="ai-proposal"][data-task="detection"]');
  const answer = labels.locator('[data-testid="ai-proposal"][data-task="classification"]');
  await expect(boxes).toContainText('e2e-lesion-boxes 1.0.0 found 64 Lesion boxes for this series.');
  await expect(answer).toContainText(/e2e-quality 1.0.0 answers “Image quality”: (Good|Poor) \d+%, (Good|Poor) \d+%/);
  await boxes.getByRole('button', { name: 'Add the boxes' }).click();
  await expect(labels.getByRole('alert')).toContainText('Added 64 boxes from e2e-lesion-boxes 1.0.0');
  await expect(boxes).toContainText('Your labels of this series started from it.');
  await answer.getByRole('button', { name: 'Use the answer' }).click();
  await expect(labels.getByRole('radio', { name: 'Good' })).toBeChecked();
  await testInfo.attach('viewer-boxes-and-answer.png', { body: await page.screenshot(), contentType: 'image/png' });
  // He disagrees with the answer, keeps the boxes, and submits.
  await labels.getByRole('radio', { name: 'Acceptable' }).check();
  await labels.getByRole('button', { name: 'Submit' }).click();
  await expect(labels.getByTestId('label-status')).toHaveText('submitted');
  const studyId = new URL(page.url()).pathname.split('/')[2];
  const mine = (await (await page.request.post(`/api/projects/${projectId}/studies/${studyId}/annotation`)).json()) as {
    saved: { proposals: unknown[]; content: { regions: { classId: string; points: number[][] }[]; answers: unknown[] } };
  };
  expect(mine.saved.proposals).toHaveLength(2);
  expect(mine.saved.content.regions).toHaveLength(64);
  expect(mine.saved.content.regions[0]).toMatchObject({ classId: 'lesion', points: [[100, 120], [200, 220]] });
  expect(mine.saved.content.answers).toEqual([{ questionId: 'image_quality', choiceIds: ['acceptable'] }]);

  // The model page: the boxes all kept (F1 100%), the answer changed (agreement 0%).
  await page.goto('/models');
  const detector = page.getByRole('article', { name: 'e2e-lesion-boxes' });
  await expect(detector).toContainText('Mean Box F1');
  await expect(detector.getByTestId('edit-stats').filter({ hasText: 'Lesion' })).toContainText('100.0%');
  const classifier = page.getByRole('article', { name: 'e2e-quality' });
  await expect(classifier).toContainText('Mean Agreement');
  await expect(classifier.getByTestId('edit-stats').filter({ hasText: 'Good' })).toContainText('0.0%');
  await testInfo.attach('model-edits-boxes-answers.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});
