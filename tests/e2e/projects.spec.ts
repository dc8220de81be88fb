import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { syntheticCtSeries } from '../../lib/dicom/synthetic-ct';
import { newUid } from '../../lib/dicom/uid';
import { stowBody } from '../helpers/multipart';
import { SignInPage, ViewerPage } from './pages';

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
  // A box class and a polygon class for regions.
  await sam.getByRole('button', { name: 'Add region class' }).click();
  await sam.getByLabel('Region 1 name').fill('Nodule');
  await sam.getByRole('button', { name: 'Add region class' }).click();
  await sam.getByLabel('Region 2 shape').selectOption('polygon');
  await sam.getByLabel('Region 2 name').fill('Lung outline');
  await sam.getByRole('button', { name: 'Add question' }).click();
  await sam.getByLabel('Question 1', { exact: true }).fill('Contrast');
  await sam.getByLabel('Question 1 choices').fill('Yes, No');
  await sam.getByLabel('Required to submit').uncheck();
  // The pre-annotation model writes Body, Lung and Bone: with only "Left lung" in the schema nothing
  // it finds has a class, so the form says so and keeps what was typed.
  await sam.getByLabel('Pre-annotation model').selectOption('ct-body-lungs-bone');
  await sam.getByRole('button', { name: 'Create project' }).click();
  await expect(sam.getByText(/None of the model's classes \(Body, Lung, Bone\) is a segment of the project's label schema/)).toBeVisible();
  await expect(sam.getByLabel('Region 2 name')).toHaveValue('Lung outline');
  await sam.getByRole('button', { name: 'Add segment class' }).click();
  await sam.getByLabel('Segment 2 name').fill('Lung');
  await sam.getByLabel('Segment 2 code', { exact: true }).fill('39607008');
  await sam.getByRole('button', { name: 'Create project' }).click();
  await expect(sam.getByRole('heading', { name: NAME })).toBeVisible();
  const projectId = new URL(sam.url()).pathname.split('/').pop()!;

  // The schema was stored as typed: codes with their scheme and meaning, the region classes by shape,
  // the optional question; and the model.
  type Detail = { modelName: string | null; schema: { schema: { segments: unknown[]; boxes: unknown[]; polygons: unknown[]; questions: { required: boolean }[] } } };
  const detail = (await (await sam.request.get(`/api/projects/${projectId}`)).json()) as Detail;
  expect(detail.schema.schema.segments).toEqual([
    expect.objectContaining({ value: 1, name: 'Left lung', code: { scheme: 'SCT', value: '44029006', meaning: 'Left lung' } }),
    expect.objectContaining({ value: 2, name: 'Lung', code: { scheme: 'SCT', value: '39607008', meaning: 'Lung' } }),
  ]);
  expect(detail.schema.schema.boxes).toEqual([expect.objectContaining({ name: 'Nodule' })]);
  expect(detail.schema.schema.polygons).toEqual([expect.objectContaining({ name: 'Lung outline' })]);
  expect(detail.schema.schema.questions[0]!.required).toBe(false);
  expect(detail.modelName).toBe('ct-body-lungs-bone');

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

  // Dana, its reader, sees it, starts on her queue, submits a study and goes on with "Next study".
  const dana = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await new SignInPage(dana).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await dana.goto('/projects');
  await dana.getByRole('link', { name: NAME }).click();
  // Her queue, as her project page shows it.
  const progress = dana.getByRole('progressbar', { name: /^You submitted 0 of \d+ studies$/ });
  const queue = { total: Number(await progress.getAttribute('aria-valuemax')), next: (await dana.getByRole('link', { name: 'Start labeling' }).getAttribute('href'))!.split('/')[2]! };
  expect(queue.total).toBeGreaterThan(1);
  await dana.getByRole('link', { name: 'Start labeling' }).click();
  await expect(dana).toHaveURL(new RegExp(`/studies/${queue.next}/viewer\\?project=${projectId}$`));
  const panel = dana.getByTestId('labeling-panel');
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await panel.getByRole('button', { name: 'Submit' }).click();
  await expect(panel.getByTestId('label-status')).toHaveText('submitted');
  await panel.getByRole('link', { name: 'Next study →' }).click();
  await expect(dana).not.toHaveURL(new RegExp(`/studies/${queue.next}/`));
  await expect(dana).toHaveURL(new RegExp(`/studies/[^/]+/viewer\\?project=${projectId}$`));
  await expect(dana.getByTestId('labeling-panel')).toHaveAttribute('data-save', 'saved');
  await expect(dana.getByTestId('labeling-panel').getByTestId('label-status')).toHaveText('in progress');
  await dana.goto(`/projects/${projectId}`);
  await expect(dana.getByRole('progressbar', { name: `You submitted 1 of ${queue.total} studies` })).toBeVisible();
  await expect(dana.getByRole('link', { name: 'Next study' })).toBeVisible();

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

test("a project labels the series its rule names: studies join by their series, and the reader's viewer opens on that series", async ({ browser }, testInfo) => {
  // Two users, a rule changed three times and two series chosen by hand, each checked in the viewer.
  test.setTimeout(150_000);
  const tag = Date.now();
  const name = `Lung reconstructions (e2e ${tag})`;
  // A CT study with two reconstructions: soft tissue (Se 2, first in the study) and lung (Se 3).
  // Its own study description: other specs open the demo CT from the study list by the default one.
  const study = {
    studyInstanceUid: newUid(),
    studyDescription: `CT two reconstructions ${tag}`,
    patient: { name: 'Rule^Series', id: `RULE-${tag}`, birthDate: '19700101', sex: 'O' as const },
    accessionNumber: String(tag).slice(-8),
  };
  const lungDescription = `Axial 5 mm lung ${tag}`;
  const { body, contentType } = stowBody([
    ...syntheticCtSeries({ ...study, slices: 3, seriesNumber: 2, seriesDescription: 'Axial 5 mm soft tissue' }),
    ...syntheticCtSeries({ ...study, slices: 3, seriesNumber: 3, seriesDescription: lungDescription, seed: 2 }),
  ]);
  const admin = await browser.newPage();
  await new SignInPage(admin).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  expect((await admin.request.post('/dicomweb/studies', { headers: { 'content-type': contentType }, data: Buffer.from(body) })).status()).toBe(200);
  const series = (await (await admin.request.get(`/dicomweb/studies/${study.studyInstanceUid}/series`)).json()) as { '0008103E': { Value: string[] }; '0020000E': { Value: string[] } }[];
  const uidOf = (description: string) => series.find((s) => s['0008103E'].Value[0] === description)!['0020000E'].Value[0]!;
  const lung = uidOf(lungDescription);
  const softTissue = uidOf('Axial 5 mm soft tissue');
  await admin.close();

  const sam = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  await new SignInPage(sam).signInAs(ML.email, ML.password);
  await sam.goto('/projects/new');
  await sam.getByLabel('Name', { exact: true }).fill(name);
  await sam.getByLabel('Modalities to label').fill('CT');
  await sam.getByLabel('Series to label: description contains').fill('Lung | mediastinum');
  await sam.getByRole('group', { name: 'Readers' }).getByLabel(/Dana Reyes/).check();
  await sam.getByLabel('Segment 1 name').fill('Lung');
  await sam.getByRole('button', { name: 'Create project' }).click();
  await expect(sam.getByRole('heading', { name })).toBeVisible();
  await expect(sam.getByTestId('series-rule')).toContainText('CT series described “lung” or “mediastinum”');
  // The worklist finds the study by its lung series.
  const add = sam.getByRole('form', { name: 'Add studies' });
  await add.getByLabel('Series description').fill(`lung ${tag}`);
  await add.getByRole('button', { name: 'Add matching studies' }).click();
  await expect(add.getByRole('status')).toContainText('Added 1 study.');
  await expect(sam.getByTestId('study-series-to-label')).toHaveText('1 of 2');

  // Dana starts labeling: the viewer opens on the lung series, marked as the one to label.
  const dana = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await new SignInPage(dana).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  await dana.goto('/projects');
  await expect(dana.getByRole('listitem').filter({ hasText: name })).toContainText('CT series described “lung” or “mediastinum”');
  await dana.getByRole('link', { name }).click();
  await dana.getByRole('link', { name: 'Start labeling' }).click();
  await expect(dana.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await expect(dana.getByTestId('viewport').first()).toHaveAttribute('data-series', lung);
  await expect(dana.locator(`[data-testid="series-thumbnail"][data-series="${lung}"]`)).toContainText('To label');
  await expect(dana.locator(`[data-testid="series-thumbnail"][data-series="${softTissue}"]`)).not.toContainText('To label');
  await expect(dana.getByTestId('series-rule-note')).toHaveText('To label: CT series described “lung” or “mediastinum”');
  await testInfo.attach('series-to-label.png', { body: await dana.screenshot(), contentType: 'image/png' });

  // Labels go on the lung series only: the soft-tissue pane beside it is for reference.
  const viewer = new ViewerPage(dana);
  const panel = dana.getByTestId('labeling-panel');
  await viewer.waitForRendered(1);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(viewer.viewport(1)).toHaveAttribute('data-series', softTissue);
  await expect(viewer.viewport(1).getByTestId('viewport-caption')).toHaveText('Not labeled in this project');
  await expect(viewer.viewport(0).getByTestId('viewport-caption')).toHaveCount(0);
  await dana.keyboard.press('b');
  await expect(panel.getByRole('button', { name: 'Brush', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // With the brush chosen, a drag on the soft-tissue series windows it and paints nothing.
  const window = await viewer.windowText(1);
  await viewer.dragNormalized(1, [0.35, 0.45], [0.6, 0.5]);
  await expect(viewer.viewport(1)).toHaveAttribute('data-active', 'true');
  await expect(panel.getByTestId('not-labeled-note')).toBeVisible();
  await expect.poll(() => viewer.windowText(1)).not.toBe(window);
  await viewer.dragNormalized(0, [0.35, 0.45], [0.6, 0.5]);
  await expect(panel.getByTestId('not-labeled-note')).toHaveCount(0);
  await expect(panel).toHaveAttribute('data-save', 'saved', { timeout: 10_000 });
  await expect(panel.getByTestId('segment-voxels-1')).not.toHaveText('0 vx');
  await testInfo.attach('drawing-on-the-series-to-label.png', { body: await dana.screenshot(), contentType: 'image/png' });
  // What was saved: a labelmap of the lung series, and nothing on the soft-tissue one.
  const url = new URL(dana.url());
  const annotation = (await (await dana.request.post(`/api/projects/${url.searchParams.get('project')}/studies/${url.pathname.split('/')[2]}/annotation`)).json()) as {
    draft: { labelmaps: { seriesInstanceUid: string }[] } | null;
  };
  expect(annotation.draft?.labelmaps.map((l) => l.seriesInstanceUid)).toEqual([lung]);

  // Sam changes the rule on the project page: Dana's viewer now opens on the soft-tissue series.
  const rule = sam.getByRole('form', { name: 'Series to label' });
  await rule.getByLabel('Series description contains').fill('soft tissue');
  await rule.getByRole('button', { name: 'Save' }).click();
  await expect(rule.getByRole('status')).toHaveText('Saved: CT series described “soft tissue”.');
  await expect(sam.getByTestId('series-rule')).toContainText('CT series described “soft tissue”');
  await dana.reload();
  await expect(dana.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await expect(dana.getByTestId('viewport').first()).toHaveAttribute('data-series', softTissue);
  await expect(dana.locator(`[data-testid="series-thumbnail"][data-series="${softTissue}"]`)).toContainText('To label');

  // A rule no series of the study matches: the viewer opens in study order and says so.
  await rule.getByLabel('Series description contains').fill('bone');
  await rule.getByRole('button', { name: 'Save' }).click();
  await expect(rule.getByRole('status')).toHaveText('Saved: CT series described “bone”.');
  await expect(sam.getByTestId('study-series-to-label')).toHaveText('none of 2');
  await dana.reload();
  await expect(dana.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await expect(dana.getByTestId('viewport').first()).toHaveAttribute('data-series', softTissue);
  await expect(dana.getByTestId('series-rule-note')).toHaveText('To label: CT series described “bone”No series of this study matches.');
  await expect(dana.getByText('To label', { exact: true })).toHaveCount(0);

  // On the study's page in the project, Sam adds the lung series by hand, then leaves the soft-tissue one out.
  await sam.getByRole('link', { name: study.studyDescription }).click();
  const seriesRow = (uid: string) => sam.locator(`[data-testid="project-series"][data-series="${uid}"]`);
  await expect(seriesRow(lung)).toContainText('Not in the rule');
  await seriesRow(lung).getByRole('button', { name: 'Label it' }).click();
  await expect(seriesRow(lung)).toContainText('To label (added)');
  await expect(seriesRow(lung)).toHaveAttribute('data-to-label', 'true');
  await testInfo.attach('series-chosen-by-hand.png', { body: await sam.screenshot(), contentType: 'image/png' });
  await dana.reload();
  await expect(dana.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await expect(dana.getByTestId('viewport').first()).toHaveAttribute('data-series', lung);
  await expect(dana.getByTestId('series-rule-note')).toHaveText('To label: CT series described “bone” (1 added)');
  await expect(dana.locator(`[data-testid="series-thumbnail"][data-series="${lung}"]`)).toContainText('To label');

  // Back to the rule that matches the soft-tissue series, which Sam leaves out for this study.
  await sam.goBack();
  await rule.getByLabel('Series description contains').fill('soft tissue');
  await rule.getByRole('button', { name: 'Save' }).click();
  await expect(rule.getByRole('status')).toHaveText('Saved: CT series described “soft tissue”.');
  await sam.getByRole('link', { name: study.studyDescription }).click();
  await expect(seriesRow(softTissue)).toContainText('To label');
  await seriesRow(softTissue).getByRole('button', { name: 'Leave out' }).click();
  await expect(seriesRow(softTissue)).toContainText('Left out');
  await seriesRow(lung).getByRole('button', { name: 'Follow the rule' }).click();
  await expect(seriesRow(lung)).toContainText('Not in the rule');
  await dana.reload();
  await expect(dana.getByTestId('study-viewer')).toHaveAttribute('data-ready', 'true');
  await expect(dana.getByTestId('series-rule-note')).toHaveText('To label: CT series described “soft tissue” (1 left out)No series of this study matches.');
  await expect(dana.locator(`[data-testid="series-thumbnail"][data-series="${softTissue}"]`)).toContainText('Left out');
  await expect(dana.getByText('To label', { exact: true })).toHaveCount(0);
});
