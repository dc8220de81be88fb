import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { decodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { SignInPage, ViewerPage } from './pages';

// The second test reviews what the first labeled.
test.describe.configure({ mode: 'serial' });

const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
const LEAD = { email: 'lead@demo.cohort.local', password: 'demo-research-lead' };
const ML = { email: 'ml@demo.cohort.local', password: 'demo-ml-engineer' };
const DEMO_PROJECT = 'Demo: CT body, lungs and bone';
const DEMO_CT = 'CT CHEST ABDOMEN (synthetic phantom)';

type Saved = { version: number; saved: { contentHash: string; content: { regions: { shape: string; classId: string; points: number[][] }[]; answers: unknown[] }; labelmaps: { counts: Record<string, number> }[] } };

/** Opens a study (the demo CT by default) from the demo project, as a reader does, and waits for the labels panel. */
async function openForLabeling(page: Page, study = DEMO_CT) {
  const viewer = new ViewerPage(page);
  await viewer.openForLabeling(DEMO_PROJECT, study);
  return viewer;
}

/**
 * The demo radiologist signed in, with `study` open for labeling: the viewer, its labels panel, and
 * `labels()`, their copy of the label as the server holds it (opened through the same route).
 */
async function labelAsRadiologist(page: Page, study: string) {
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  const viewer = await openForLabeling(page, study);
  const projectId = new URL(page.url()).searchParams.get('project')!;
  const studyId = new URL(page.url()).pathname.split('/')[2]!;
  const labelsUrl = `/api/projects/${projectId}/studies/${studyId}/annotation`;
  const labels = async <T>(request = page.request) => (await (await request.post(labelsUrl)).json()) as T;
  return { viewer, panel: page.getByTestId('labeling-panel'), labels };
}

test('a radiologist paints, draws a box and a polygon, answers, saves, and gets it all back after a reload', async ({ page }, testInfo) => {
  // Two page loads of the viewer, MPR, and a DICOM-SEG round trip.
  test.setTimeout(150_000);
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  const viewer = await openForLabeling(page);
  const panel = page.getByTestId('labeling-panel');
  const annotationUrl = async () => {
    const res = await page.request.post(`${new URL(page.url()).origin}/api/projects/${new URL(page.url()).searchParams.get('project')}/studies/${page.url().split('/studies/')[1]!.split('/')[0]}/annotation`);
    return (await res.json()) as Saved & { id: string };
  };

  // Brush: the Lung segment, one stroke across the middle.
  await panel.getByRole('button', { name: 'Paint Lung' }).click();
  await page.keyboard.press('b');
  await expect(panel.getByRole('button', { name: 'Brush' })).toHaveAttribute('aria-pressed', 'true');
  await viewer.dragNormalized(0, [0.35, 0.45], [0.6, 0.5]);
  await expect(panel.getByTestId('save-state')).toContainText(/Unsaved|draft/);
  // The same stroke four slices on, then the slices between filled by interpolation.
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await expect(viewer.viewport(0).getByTestId('overlay-image')).toHaveText('Im 37 / 64');
  await viewer.dragNormalized(0, [0.35, 0.45], [0.6, 0.5]);
  await page.keyboard.press('j');
  await expect(panel.getByRole('alert')).toContainText(/Interpolated [\d,]+ voxels/);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');

  // A box of the Lesion class and a freehand polygon of Organ outline.
  await page.keyboard.press('q');
  await viewer.dragNormalized(0, [0.3, 0.3], [0.4, 0.4]);
  await panel.getByRole('button', { name: 'Draw Organ outline' }).click();
  await page.keyboard.press('y');
  const box = (await viewer.viewport(0).boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.6, 0.6));
  await page.mouse.down();
  for (const [x, y] of [[0.7, 0.6], [0.72, 0.68], [0.66, 0.74], [0.6, 0.7], [0.6, 0.61]] as const) await page.mouse.move(...at(x, y), { steps: 4 });
  await page.mouse.up();

  // The study-level question.
  await panel.getByRole('radio', { name: 'Good' }).check();

  // The save itself, awaited: Cornerstone may report a late edit of the last drawing (its own
  // bookkeeping) and a draft autosave then follows, so "Saved as version" can be gone in a moment.
  const versionSaved = page.waitForResponse((r) => r.url().includes('/api/annotations/') && r.request().method() === 'PUT' && r.request().postDataJSON()?.reason === 'save');
  await page.keyboard.press('Control+s');
  expect((await versionSaved).ok()).toBe(true);
  await expect(panel.getByTestId('save-state')).toContainText(/Saved as version|on top of version/);
  const first = await annotationUrl();
  expect(first.saved.content.regions.map((r) => `${r.shape}:${r.classId}`).sort()).toEqual(['box:lesion', 'polygon:organ_outline']);
  expect(first.saved.content.answers).toEqual([{ questionId: 'image_quality', choiceIds: ['good'] }]);
  const lungVoxels = first.saved.labelmaps[0]!.counts['2']!;
  expect(lungVoxels).toBeGreaterThan(100);
  // Lung on the two drawn slices (33 and 37) and the three interpolated between them, nowhere else.
  const saved = first.saved.labelmaps[0]! as unknown as { columns: number; rows: number; slices: number; rle: string };
  const volume = decodeLabelmapRle(Buffer.from(saved.rle, 'base64'), saved.columns * saved.rows * saved.slices);
  const area = saved.columns * saved.rows;
  const lungSlices = Array.from({ length: saved.slices }, (_, k) => k).filter((k) => volume.subarray(k * area, (k + 1) * area).includes(2));
  expect(lungSlices).toEqual([32, 33, 34, 35, 36]);
  // The version's line in the history says what it changed.
  const latestVersion = panel.getByRole('region', { name: 'Versions' }).getByRole('listitem').first();
  await expect(latestVersion).toContainText(`v${first.version} · save`);
  await expect(latestVersion.getByTestId('version-changes')).toHaveText(`Lung +${lungVoxels.toLocaleString('en')} voxels · 2 regions added · 1 answer changed`);
  await testInfo.attach('viewer-labels.png', { body: await page.screenshot(), contentType: 'image/png' });

  // A stroke taken back with undo leaves the labels as stored: the autosave after it sends no draft.
  const drafts: string[] = [];
  const onRequest = (r: Request) => {
    if (r.method() === 'PUT' && r.url().includes('/api/annotations/') && r.postDataJSON()?.reason === 'autosave') drafts.push(r.url());
  };
  page.on('request', onRequest);
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.35, 0.7], [0.6, 0.75]);
  await expect(panel).toHaveAttribute('data-save', 'dirty');
  await page.keyboard.press('Control+z');
  await expect(panel).toHaveAttribute('data-save', 'saved', { timeout: 10_000 });
  await expect(panel.getByTestId('save-state')).toContainText(/Saved as version|on top of version/);
  page.off('request', onRequest);
  expect(drafts).toEqual([]);
  expect((await annotationUrl()).version).toBe(first.version);

  // The labels in MPR: the lung stroke crosses the sagittal plane through the volume's centre.
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect.poll(() => viewer.colouredFraction(viewer.mprViewport('sagittal')), { timeout: 20_000 }).toBeGreaterThan(0.0001);
  await expect.poll(() => viewer.colouredFraction(viewer.mprViewport('axial'))).toBeGreaterThan(0.001);
  // Opening more planes on the series keeps the counts of what was just saved.
  await expect(panel.getByTestId('segment-voxels-2')).toHaveText(`${lungVoxels.toLocaleString('en')} vx`);
  await testInfo.attach('viewer-labels-mpr.png', { body: await page.screenshot(), contentType: 'image/png' });
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr')).toHaveCount(0);

  // Reload: the same voxels, regions (to the hundredth of a pixel) and answers come back, so saving
  // again without a change stores exactly the same content.
  page.on('request', onRequest);
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(panel.getByTestId('segment-voxels-2')).toHaveText(`${lungVoxels.toLocaleString('en')} vx`);
  await expect(panel.getByRole('radio', { name: 'Good' })).toBeChecked();
  // Late events from restoring the labels change nothing, and neither does a stroke taken back: the
  // labels are those loaded, so past the autosave delay no draft went out.
  await page.waitForTimeout(1_000);
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.35, 0.7], [0.6, 0.75]);
  await expect(panel).toHaveAttribute('data-save', 'dirty');
  await page.keyboard.press('Control+z');
  await expect(panel).toHaveAttribute('data-save', 'saved', { timeout: 10_000 });
  await page.waitForTimeout(4_000);
  page.off('request', onRequest);
  expect(drafts).toEqual([]);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await page.keyboard.press('Control+s');
  await expect.poll(async () => (await annotationUrl()).version, { timeout: 10_000 }).toBe(first.version + 1);
  const again = await annotationUrl();
  expect(again.saved.contentHash).toBe(first.saved.contentHash);
  await expect(latestVersion).toContainText(`v${again.version} · save`);
  await expect(latestVersion.getByTestId('version-changes')).toHaveText('no change');

  // DICOM-SEG out, for OHIF or 3D Slicer, and back in: the same voxels as a new version.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Export' }).click()]);
  const segPath = testInfo.outputPath('labels-seg.dcm');
  await download.saveAs(segPath);
  const seg = readFileSync(segPath);
  expect(seg.subarray(128, 132).toString('latin1')).toBe('DICM');
  await panel.getByLabel('Import DICOM-SEG').setInputFiles(segPath);
  await expect(panel).toHaveAttribute('data-version', String(again.version + 1), { timeout: 30_000 });
  await expect(panel.getByTestId('segment-voxels-2')).toHaveText(`${lungVoxels.toLocaleString('en')} vx`);
  expect((await annotationUrl()).saved.labelmaps[0]!.counts['2']).toBe(lungVoxels);
});

async function signedIn(browser: Browser, who: { email: string; password: string }) {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await new SignInPage(page).signInAs(who.email, who.password);
  return page;
}

test('the reader submits, a reviewer sends it back and then accepts it, and the ML engineer sees how two readers agree', async ({ browser }, testInfo) => {
  // Three people, five page loads of the viewer.
  test.setTimeout(180_000);
  // Dana submits her labels from the viewer.
  const dana = await signedIn(browser, RADIOLOGIST);
  const danaViewer = await openForLabeling(dana);
  const danaPanel = dana.getByTestId('labeling-panel');
  await danaPanel.getByRole('button', { name: 'Submit' }).click();
  await expect(danaPanel.getByTestId('label-status')).toHaveText('submitted');
  await expect(danaPanel.getByRole('status')).toContainText('Submitted for review.');
  const studyPath = new URL(dana.url()).pathname.split('/viewer')[0]!;
  const projectId = new URL(dana.url()).searchParams.get('project')!;
  const studyId = studyPath.split('/').pop()!;

  // Lee, the second reader, paints the lungs too (a little lower) and submits.
  const lee = await signedIn(browser, LEAD);
  const leeViewer = await openForLabeling(lee);
  const leePanel = lee.getByTestId('labeling-panel');
  await leePanel.getByRole('button', { name: 'Paint Lung' }).click();
  await lee.keyboard.press('b');
  await leeViewer.dragNormalized(0, [0.35, 0.47], [0.6, 0.52]);
  await leePanel.getByRole('radio', { name: 'Acceptable' }).check();
  await leePanel.getByRole('button', { name: 'Submit' }).click();
  await expect(leePanel.getByTestId('label-status')).toHaveText('submitted');

  // Lee reviews Dana's labels (never his own) and sends them back with a comment.
  await lee.goto(`/projects/${projectId}/studies/${studyId}`);
  const danaCopy = lee.getByTestId('reader-copy').filter({ hasText: 'Dana Reyes' });
  await expect(lee.getByTestId('reader-copy').filter({ hasText: 'Lee Chen' }).getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await danaCopy.getByRole('button', { name: 'Request changes' }).click();
  await danaCopy.getByLabel('What should Dana Reyes change?').fill('Extend the lung label to the left lung.');
  await danaCopy.getByRole('button', { name: 'Send back' }).click();
  await expect(danaCopy).toContainText('changes requested');

  // Dana sees why in the viewer, adds to her labels and submits again.
  await dana.reload();
  await danaViewer.waitForRendered(0);
  await expect(danaPanel.getByTestId('label-status')).toHaveText('changes requested');
  await expect(danaPanel.getByRole('region', { name: 'Comments' })).toContainText('Extend the lung label to the left lung.');
  await danaPanel.getByRole('button', { name: 'Paint Lung' }).click();
  await dana.keyboard.press('b');
  await danaViewer.dragNormalized(0, [0.62, 0.45], [0.7, 0.5]);
  await danaPanel.getByRole('button', { name: 'Submit' }).click();
  await expect(danaPanel.getByTestId('label-status')).toHaveText('submitted');
  // And answers on the study's page, for the reviewer to read.
  await dana.goto(`/projects/${projectId}/studies/${studyId}`);
  await dana.getByLabel('Comment', { exact: true }).fill('Left lung added; its apex is hard to see on this slice.');
  await dana.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(dana.getByLabel('Comment', { exact: true })).toHaveValue('');

  // Lee reads it, looks at both readers' labels overlaid in the viewer, then accepts.
  await lee.goto(`/projects/${projectId}/studies/${studyId}`);
  await expect(lee.getByText('Left lung added; its apex is hard to see on this slice.')).toBeVisible();
  await lee.getByRole('link', { name: 'Review in the viewer' }).click();
  await new ViewerPage(lee).waitForRendered(0);
  await expect(lee.getByTestId('review-panel')).toHaveAttribute('data-copies', '2');
  // Each reader's answers beside their labels.
  await expect(lee.getByRole('list', { name: 'Dana Reyes’s answers' })).toHaveText('Image quality: Good');
  await expect(lee.getByRole('list', { name: 'Lee Chen’s answers' })).toHaveText('Image quality: Acceptable');
  await testInfo.attach('review-overlay.png', { body: await lee.screenshot(), contentType: 'image/png' });

  // Side by side: a pane per reader, each drawing only that reader's labels, scrolling together.
  const review = new ViewerPage(lee);
  await lee.getByRole('radio', { name: 'Side by side' }).click();
  await expect(review.viewports).toHaveCount(2);
  await review.waitForRendered(1);
  const captions = await lee.getByTestId('viewport-caption').allInnerTexts();
  expect([...captions].sort()).toEqual(['Dana Reyes', 'Lee Chen']);
  const danaPane = review.viewport(captions.indexOf('Dana Reyes'));
  const leePane = review.viewport(captions.indexOf('Lee Chen'));
  // Dana drew a box and a polygon on this slice; Lee only painted.
  await expect.poll(() => danaPane.locator('svg [data-id]').count()).toBeGreaterThan(0);
  expect(await leePane.locator('svg [data-id]').count()).toBe(0);
  expect((await review.canvasStats(danaPane)).hash).not.toBe((await review.canvasStats(leePane)).hash);
  await lee.keyboard.press('ArrowDown');
  await expect(review.viewport(0).getByTestId('overlay-image')).toHaveText('Im 34 / 64');
  await expect(review.viewport(1).getByTestId('overlay-image')).toHaveText('Im 34 / 64');
  await testInfo.attach('review-side-by-side.png', { body: await lee.screenshot(), contentType: 'image/png' });
  await lee.getByRole('radio', { name: 'Overlaid' }).click();
  await expect(lee.getByTestId('viewport-caption')).toHaveCount(0);
  await lee.getByRole('link', { name: 'Accept or request changes →' }).click();
  // Starting the review marks the study "In review" in the project's table; accepting, "Accepted".
  const studyRow = lee.locator('tr').filter({ has: lee.locator(`a[href="/projects/${projectId}/studies/${studyId}"]`) });
  await danaCopy.getByRole('button', { name: 'Start review' }).click();
  await expect(danaCopy).toContainText('in review');
  await lee.goto(`/projects/${projectId}`);
  await expect(studyRow).toContainText('In review');
  await lee.goto(`/projects/${projectId}/studies/${studyId}`);
  await danaCopy.getByRole('button', { name: 'Accept' }).click();
  await expect(danaCopy).toContainText('accepted');
  await testInfo.attach('review.png', { body: await lee.screenshot({ fullPage: true }), contentType: 'image/png' });
  await lee.goto(`/projects/${projectId}`);
  await expect(studyRow).toContainText('Accepted');

  // Sam, the ML engineer, sees the agreement of the two readers: the same Dice and IoU as a voxel count here.
  const sam = await signedIn(browser, ML);
  const project = (await (await sam.request.get(`/api/projects/${projectId}`)).json()) as { studies: { studyId: string; annotations: { annotationId: string; readerName: string }[] }[] };
  const copies = project.studies.find((s) => s.studyId === studyId)!.annotations;
  const lungs = await Promise.all(
    copies.map(async (c) => {
      const view = (await (await sam.request.get(`/api/annotations/${c.annotationId}`)).json()) as { saved: { labelmaps: { columns: number; rows: number; slices: number; rle: string }[] } };
      const l = view.saved.labelmaps[0]!;
      return decodeLabelmapRle(Buffer.from(l.rle, 'base64'), l.columns * l.rows * l.slices);
    }),
  );
  let a = 0;
  let b = 0;
  let both = 0;
  for (let i = 0; i < lungs[0]!.length; i++) {
    const x = lungs[0]![i] === 2;
    const y = lungs[1]![i] === 2;
    a += Number(x);
    b += Number(y);
    both += Number(x && y);
  }
  const dice = (2 * both) / (a + b);
  expect(dice).toBeGreaterThan(0);
  expect(dice).toBeLessThan(1);
  await sam.goto(`/projects/${projectId}`);
  await sam.getByRole('link', { name: 'Agreement between readers →' }).click();
  const lungBar = sam.getByRole('img', { name: /^Lung: mean Dice/ });
  const iou = both / (a + b - both);
  await expect(lungBar).toHaveAttribute('aria-label', `Lung: mean Dice ${(dice * 100).toFixed(1)}% (1 pair, IoU ${(iou * 100).toFixed(1)}%)`);
  // Per reader: against the accepted labels (Dana's), Lee's one comparison is that Dice.
  const percent = `${(dice * 100).toFixed(1)}%`;
  await expect(sam.getByRole('heading', { name: 'Mean Dice per reader' })).toBeVisible();
  await expect(sam.getByRole('img', { name: /^Lee Chen: mean Dice/ })).toHaveAttribute('aria-label', `Lee Chen: mean Dice ${percent} (1 comparison, 1 against accepted)`);
  // Kappa per question: two readers, one study, "Good" against "Acceptable": Cohen's, 0.
  const quality = sam.getByRole('table', { name: 'Classification agreement' }).getByRole('row').filter({ hasText: 'Image quality' });
  await expect(quality).toContainText("0.000 (Cohen's)");
  await expect(quality).toContainText('1 study');
  await testInfo.attach('agreement.png', { body: await sam.screenshot({ fullPage: true }), contentType: 'image/png' });
  // Dana, a reader who does not review, is kept from it: she would see Lee's labels.
  expect((await dana.goto(`/projects/${projectId}/agreement`))!.status()).toBe(403);
  await dana.goto(`/projects/${projectId}`);
  await expect(dana.getByTestId('project-readers')).toContainText('Dana Reyes');
  await expect(dana.getByRole('link', { name: 'Agreement between readers →' })).toHaveCount(0);
  // The study's own page: its agreement table names the pair and gives the same Dice, and the answers.
  await sam.goto(`/projects/${projectId}/studies/${studyId}`);
  const lungRow = sam.getByRole('table', { name: 'Segment agreement' }).getByRole('row').filter({ hasText: 'Lung' });
  await expect(lungRow).toHaveCount(1);
  await expect(lungRow).toContainText('Lee Chen vs Dana Reyes (accepted)');
  await expect(lungRow.getByTestId('dice')).toHaveText(percent);
  await expect(sam.getByText(/^Image quality: readers differ/)).toContainText('Lee Chen: Acceptable');
  const csv = await sam.request.get(`/api/projects/${projectId}/agreement?format=csv`);
  expect((await csv.text()).split('\r\n')[0]).toBe('study,series,segment,segment_name,reader_a,reader_b,against_accepted,voxels_a,voxels_b,dice,iou');
});

test('every other tool: eraser, undo and redo of paint and drawings, scissors, fill, threshold brush, length and angle; segment visibility and opacity', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { viewer, panel, labels } = await labelAsRadiologist(page, 'BRAIN');
  let saves = 0;
  /**
   * Saves a version once the last edit has reached the labels (the panel turns "unsaved"), and
   * returns what the server holds: voxels per segment and measurements.
   */
  const save = async ({ changed = true } = {}) => {
    if (changed) await expect(panel).toHaveAttribute('data-save', 'dirty');
    saves++;
    await page.keyboard.press('Control+s');
    await expect(panel).toHaveAttribute('data-version', String(saves));
    const view = await labels<Saved>();
    return { counts: view.saved.labelmaps[0]?.counts ?? {}, measurements: (view.saved.content as unknown as { measurements: { kind: string }[] }).measurements };
  };
  const tool = async (key: string, name: string) => {
    await page.keyboard.press(key);
    await expect(panel.getByRole('button', { name, exact: true })).toHaveAttribute('aria-pressed', 'true');
  };

  // Body, painted; part of it erased; the erasing undone and redone.
  await panel.getByRole('button', { name: 'Paint Body' }).click();
  await tool('b', 'Brush');
  await viewer.dragNormalized(0, [0.3, 0.5], [0.7, 0.5]);
  const painted = (await save()).counts['1']!;
  expect(painted).toBeGreaterThan(50);
  await tool('e', 'Eraser');
  await viewer.dragNormalized(0, [0.5, 0.4], [0.5, 0.6]);
  const erased = (await save()).counts['1']!;
  expect(erased).toBeLessThan(painted);
  await page.keyboard.press('Control+z');
  expect((await save()).counts['1']).toBe(painted);
  await page.keyboard.press('Control+y');
  expect((await save()).counts['1']).toBe(erased);

  // Scissors fill a rectangle with Bone; the fill tool then turns that region into Lung.
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await tool('k', 'Scissors');
  await viewer.dragNormalized(0, [0.2, 0.2], [0.3, 0.3]);
  const bone = (await save()).counts['3']!;
  expect(bone).toBeGreaterThan(20);
  await panel.getByRole('button', { name: 'Paint Lung' }).click();
  await tool('f', 'Fill');
  const box = (await viewer.viewport(0).boundingBox())!;
  // The fill lands a moment after the click, slowly under load. A click lost under load changes nothing
  // for seconds: only then is it clicked again (clicking while a slow fill is still running would fill
  // twice, two undo steps). Then save until it shows (the panel may still be "unsaved" from the cut).
  const fillAt = () => page.mouse.click(box.x + 0.25 * box.width, box.y + 0.25 * box.height);
  await fillAt();
  await expect(panel).toHaveAttribute('data-save', 'dirty', { timeout: 8_000 }).catch(fillAt);
  await expect.poll(async () => (await save({ changed: false })).counts, { timeout: 20_000 }).toEqual(expect.objectContaining({ 2: bone }));
  expect((await save({ changed: false })).counts['3'] ?? 0).toBe(0);
  // A fill is one undo step, like a stroke.
  await page.keyboard.press('Control+z');
  expect((await save()).counts).toEqual(expect.objectContaining({ 3: bone }));
  await page.keyboard.press('Control+y');
  expect((await save()).counts).toEqual(expect.objectContaining({ 2: bone }));

  // The threshold brush paints only pixels in its range: none in an empty range, some in a wide one.
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await tool('t', 'Threshold');
  await panel.getByLabel('Threshold minimum').fill('100000');
  await panel.getByLabel('Threshold maximum').fill('100001');
  await viewer.dragNormalized(0, [0.3, 0.7], [0.7, 0.7]);
  expect((await save({ changed: false })).counts['3'] ?? 0).toBe(0);
  await panel.getByLabel('Threshold minimum').fill('-100000');
  await panel.getByLabel('Threshold maximum').fill('100000');
  await viewer.dragNormalized(0, [0.3, 0.7], [0.7, 0.7]);
  expect((await save()).counts['3']).toBeGreaterThan(20);

  // A length and an angle.
  await tool('l', 'Length');
  await viewer.dragNormalized(0, [0.35, 0.8], [0.65, 0.8]);
  await tool('a', 'Angle');
  for (const [x, y] of [[0.4, 0.15], [0.5, 0.1], [0.6, 0.15]] as const) await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
  expect((await save()).measurements.map((m) => m.kind).sort()).toEqual(['angle', 'length']);
  // Undo and redo take back a drawing too, not only paint.
  await page.keyboard.press('Control+z');
  expect((await save()).measurements.map((m) => m.kind)).toEqual(['length']);
  await page.keyboard.press('Control+y');
  expect((await save()).measurements.map((m) => m.kind).sort()).toEqual(['angle', 'length']);
  await testInfo.attach('every-tool.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Hiding a segment or turning the opacity down changes the picture, not the labels; undoing either brings the same picture back.
  const picture = async () => (await viewer.canvasStats(0)).hash;
  const shown = await picture();
  await panel.getByRole('button', { name: 'Hide Bone' }).click();
  await expect.poll(picture).not.toBe(shown);
  await panel.getByRole('button', { name: 'Show Bone' }).click();
  await expect.poll(picture).toBe(shown);
  const opacity = await panel.getByLabel('Segment opacity').inputValue();
  await panel.getByLabel('Segment opacity').fill('0');
  await expect.poll(picture).not.toBe(shown);
  await panel.getByLabel('Segment opacity').fill(opacity);
  await expect.poll(picture).toBe(shown);
  await expect(panel).not.toHaveAttribute('data-save', 'dirty');
});

test('a save that never reached the server (the connection dropped) is sent again when the study is opened next', async ({ page }) => {
  test.setTimeout(90_000);
  await new SignInPage(page).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
  const viewer = await openForLabeling(page, 'BRAIN');
  const panel = page.getByTestId('labeling-panel');
  const before = await panel.getByTestId('segment-voxels-3').textContent();

  // Every save fails on the way: the connection is down.
  const saves = '**/api/annotations/*';
  await page.route(saves, (route) => (route.request().method() === 'PUT' ? route.abort('connectionfailed') : route.continue()));
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.3, 0.4], [0.7, 0.4]);
  await expect(panel).toHaveAttribute('data-save', 'dirty');
  await page.keyboard.press('Control+s');
  await expect(panel).toHaveAttribute('data-save', 'error');
  const painted = await panel.getByTestId('segment-voxels-3').textContent();
  expect(painted).not.toBe(before);

  // Back online, the study opened again: the browser kept the save and sends it now.
  await page.unroute(saves);
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(panel.getByRole('alert')).toContainText('Recovered your changes from');
  await expect(panel.getByTestId('segment-voxels-3')).toHaveText(painted!);
  // Once only: opened again, there is nothing left to recover.
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(panel.getByTestId('segment-voxels-3')).toHaveText(painted!);
  await expect(panel.getByRole('alert')).toHaveCount(0);
});

test('autosave: a stroke left alone is stored within seconds, and one made just before the tab closes is stored as it closes', async ({ page, context }) => {
  test.setTimeout(90_000);
  const { viewer, panel, labels } = await labelAsRadiologist(page, 'BRAIN');
  const storedBone = async () => {
    // Autosave keeps a draft beside the latest version (none before the first save). Asked through
    // the context: the page itself is closed below.
    type Labels = Pick<Saved['saved'], 'labelmaps'> | null;
    const { saved, draft } = await labels<{ saved: Labels; draft: Labels }>(context.request);
    return (draft ?? saved)?.labelmaps[0]?.counts['3'] ?? 0;
  };
  const before = await storedBone();

  // Painted, then left alone: no Ctrl+S, yet the server has it a few seconds later.
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.3, 0.45], [0.7, 0.45]);
  await expect(panel).toHaveAttribute('data-save', 'dirty');
  await expect(panel).toHaveAttribute('data-save', 'saved', { timeout: 15_000 });
  const autosaved = await storedBone();
  expect(autosaved).toBeGreaterThan(before);

  // Painted, and the tab closed at once, before autosave's timer: the closing page sends it.
  await viewer.dragNormalized(0, [0.3, 0.6], [0.7, 0.6]);
  await expect(panel).toHaveAttribute('data-save', 'dirty');
  page.on('dialog', (dialog) => void dialog.accept());
  await page.close({ runBeforeUnload: true });
  await expect.poll(storedBone, { timeout: 15_000 }).toBeGreaterThan(autosaved);
});

test('segments may overlap: a stroke over another segment keeps both, on a layer of its own, through filling, undoing, saving and reloading', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { viewer, panel, labels } = await labelAsRadiologist(page, 'BRAIN');
  type Layer = { layer: number; columns: number; rows: number; slices: number; rle: string; counts: Record<string, number> };
  let version = Number(await panel.getAttribute('data-version'));
  const save = async ({ changed = true } = {}) => {
    if (changed) await expect(panel).toHaveAttribute('data-save', 'dirty');
    await page.keyboard.press('Control+s');
    await expect(panel).toHaveAttribute('data-version', String(++version));
    return (await labels<{ saved: { contentHash: string; labelmaps: Layer[] } }>()).saved;
  };
  const count = (layers: Layer[], value: number) => layers.reduce((n, l) => n + (l.counts[String(value)] ?? 0), 0);
  /** The slices of a layer that are `value` throughout. */
  const wholeSlices = ({ rle, columns, rows, slices }: Layer, value: number) => {
    const voxels = decodeLabelmapRle(Buffer.from(rle, 'base64'), columns * rows * slices);
    return Array.from({ length: slices }, (_, k) => voxels.subarray(k * columns * rows, (k + 1) * columns * rows).every((v) => v === value)).filter(Boolean).length;
  };

  // Bone low on the image, saved, and loaded again from the save.
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.3, 0.8], [0.7, 0.8]);
  const boneBefore = count((await save()).labelmaps, 3);
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');

  // A Lung stroke across the image; then, overlapping on, a Bone stroke down through it.
  await panel.getByRole('button', { name: 'Paint Lung' }).click();
  await page.keyboard.press('b');
  await viewer.dragNormalized(0, [0.3, 0.35], [0.7, 0.35]);
  const lung = count((await save()).labelmaps, 2);
  await page.keyboard.press('o');
  await expect(panel.getByLabel('Segments may overlap')).toBeChecked();
  await panel.getByRole('button', { name: 'Paint Bone' }).click();
  await viewer.dragNormalized(0, [0.5, 0.2], [0.5, 0.5]);
  const saved = await save();

  // The Lung stroke lost nothing to the Bone one; the whole Bone segment, the part loaded from the
  // earlier save too, is on layer 1, and nothing of it stayed behind on layer 0.
  expect(saved.labelmaps.map((l) => l.layer)).toEqual([0, 1]);
  expect(count(saved.labelmaps, 2)).toBe(lung);
  expect(Object.keys(saved.labelmaps[0]!.counts)).not.toContain('3');
  expect(Object.keys(saved.labelmaps[1]!.counts)).toEqual(['3']);
  expect(count(saved.labelmaps, 3)).toBeGreaterThan(boneBefore);
  const [base, over] = saved.labelmaps.map((l) => decodeLabelmapRle(Buffer.from(l.rle, 'base64'), l.columns * l.rows * l.slices));
  const both = base!.findIndex((v, i) => v === 2 && over![i] === 3);
  expect(both, 'a voxel in both the Lung and the Bone segment').toBeGreaterThanOrEqual(0);
  await expect(panel.getByTestId('segment-voxels-2')).toHaveText(`${lung.toLocaleString('en')} vx`);
  await testInfo.attach('overlapping-segments.png', { body: await page.screenshot(), contentType: 'image/png' });

  // The fill tool paints Bone on Bone's layer (the whole slice there, empty but for Bone), and undoing
  // the fill takes that layer back: the very labels saved before.
  await page.keyboard.press('f');
  await expect(panel.getByRole('button', { name: 'Fill', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const box = (await viewer.viewport(0).boundingBox())!;
  // As in the test of every tool: the fill may land a while after the click under load.
  const fillAt = () => page.mouse.click(box.x + 0.25 * box.width, box.y + 0.25 * box.height);
  await fillAt();
  await expect(panel).toHaveAttribute('data-save', 'dirty', { timeout: 8_000 }).catch(fillAt);
  let filled = saved;
  await expect.poll(async () => wholeSlices((filled = await save({ changed: false })).labelmaps[1]!, 3), { timeout: 20_000 }).toBe(1);
  expect(filled.labelmaps.map((l) => l.layer)).toEqual([0, 1]);
  expect(count(filled.labelmaps, 2)).toBe(lung);
  expect(Object.keys(filled.labelmaps[0]!.counts)).not.toContain('3');
  await page.keyboard.press('Control+z');
  expect((await save()).contentHash).toBe(saved.contentHash);

  // Reloaded: both layers come back into the viewer as they were, so saving again stores the very same labels.
  await page.reload();
  await viewer.waitForRendered(0);
  await expect(panel).toHaveAttribute('data-save', 'saved');
  await expect(panel.getByTestId('segment-voxels-3')).toHaveText(`${count(saved.labelmaps, 3).toLocaleString('en')} vx`);
  await page.keyboard.press('Control+s');
  await expect(panel).toHaveAttribute('data-version', String(++version));
  expect((await labels<{ saved: { contentHash: string } }>()).saved.contentHash).toBe(saved.contentHash);
});
