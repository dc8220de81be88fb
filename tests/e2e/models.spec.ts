import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SignInPage, ViewerPage } from './pages';

test('the model registry shows each model, its graph, provenance and checksum', async ({ page }, testInfo) => {
  await new SignInPage(page).signInAs('ml@demo.cohort.local', 'demo-ml-engineer');
  await page.goto('/models');
  const card = page.getByRole('article', { name: 'CT body, lungs and bone (classical baseline)' });
  await expect(card).toHaveAttribute('data-status', 'ready');
  await expect(card).toContainText('not a trained network');
  await expect(card).toContainText('in hu float32 [batch × 1 × height × width]');
  await expect(card).toContainText('Apache-2.0');
  // The checksum shown is the file's own.
  const sha256 = createHash('sha256').update(readFileSync('models/ct-body-lungs-bone/model.onnx')).digest('hex');
  await expect(card.getByTestId('model-sha256')).toHaveText(sha256);
  await testInfo.attach('models.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('an ML engineer pre-annotates the demo project and watches the jobs run to a proposal', async ({ page }, testInfo) => {
  // Every CT series of the demo project, one worker process after another.
  test.setTimeout(300_000);
  await new SignInPage(page).signInAs('ml@demo.cohort.local', 'demo-ml-engineer');
  await page.goto('/projects');
  await page.getByRole('link', { name: 'Demo: CT body, lungs and bone' }).click();
  const panel = page.getByTestId('preannotation');
  // Attaching the model: from now on it pre-annotates studies as they join; Pre-annotate runs it over those already in.
  await expect(panel.getByRole('button', { name: 'Pre-annotate' })).toBeDisabled();
  await panel.getByLabel('Model').selectOption('ct-body-lungs-bone');
  await expect(panel.getByRole('status')).toContainText('Attached CT body, lungs and bone (classical baseline)');
  await page.reload();
  await expect(panel.getByLabel('Model')).toHaveValue('ct-body-lungs-bone');
  await panel.getByRole('button', { name: 'Pre-annotate' }).click();
  await expect(panel.getByRole('status')).toContainText(/Queued \d+ series/);
  const phantom = panel.getByTestId('job').filter({ hasText: 'CT CHEST ABDOMEN (synthetic phantom)' });
  await expect(phantom).toHaveCount(1);
  // Live progress: the phantom's 64 slices, then the proposal.
  await expect(phantom).toHaveAttribute('data-status', 'succeeded', { timeout: 240_000 });
  await expect(phantom).toContainText(/Proposal ready: 64 slices in [\d.]+ s/);
  await testInfo.attach('preannotation.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  // Asked again: nothing new to do.
  await panel.getByRole('button', { name: 'Pre-annotate' }).click();
  await expect(panel.getByRole('status')).toContainText(/Nothing to do|already done or waiting/);
  // The scout among the demo CTs is refused with the reason (asked again, it may have been queued again: it failed); the axial ones get proposals.
  const scout = panel.getByTestId('job').filter({ hasText: 'CT CHEST/PLAN' }).last();
  await expect(scout).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });
  await expect(scout).toContainText('localizer (scout image)');
  await expect(panel.getByTestId('job').filter({ hasText: 'e+1' }).first()).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await expect(panel.getByTestId('job').filter({ hasText: 'e+1' }).last()).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });

  // Dana, a reader, starts her label of that study from the proposal, and her saved version cites it.
  const dana = await (await page.context().browser()!.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await new SignInPage(dana).signInAs('radiologist@demo.cohort.local', 'demo-radiologist');
  await dana.goto('/projects');
  await dana.getByRole('link', { name: 'Demo: CT body, lungs and bone' }).click();
  await dana.getByRole('row').filter({ hasText: 'e+1' }).first().getByRole('link', { name: 'Open' }).click();
  const viewer = new ViewerPage(dana);
  await viewer.waitForRendered(0);
  const labels = dana.getByTestId('labeling-panel');
  // Loaded. Under CI load the viewer sometimes reports an unprompted change right after opening (the late
  // change event issue 6 tracks), so the panel may already say "unsaved": that is not what this test is about.
  await expect(labels).toHaveAttribute('data-save', /^(saved|dirty)$/);
  const offer = labels.getByTestId('ai-proposal');
  await expect(offer).toContainText('ct-body-lungs-bone 1.0.0 proposed Body');
  await offer.getByRole('button', { name: 'Start from the proposal' }).click();
  await expect(offer).toContainText('Your labels of this series started from it.');
  // Saved once the labels have taken the change (the panel turns "unsaved"): not before, or a late change event reopens it.
  await expect(labels).toHaveAttribute('data-save', 'dirty');
  await dana.keyboard.press('Control+s');
  // Under CI load the shortcut was once lost (the panel went on to autosave a draft; issue 6 notes the
  // viewer's late change events): press it again if no version was saved, rather than fail on timing.
  await expect(async () => {
    const state = await labels.getByTestId('save-state').innerText();
    if (!state.includes('Saved as version')) await dana.keyboard.press('Control+s');
    expect(state).toContain('Saved as version');
  }).toPass({ timeout: 30_000, intervals: [3_000] });
  await expect(labels.getByTestId('segment-voxels-1')).not.toHaveText('0 vx');
  const url = new URL(dana.url());
  const mine = (await (await dana.request.post(`/api/projects/${url.searchParams.get('project')}/studies/${url.pathname.split('/')[2]}/annotation`)).json()) as { saved: { proposals: { proposalId: string }[] } };
  expect(mine.saved.proposals).toHaveLength(1);
  await testInfo.attach('viewer-from-proposal.png', { body: await dana.screenshot(), contentType: 'image/png' });

  // She submits it unchanged; the model page shows how much readers changed its proposals.
  await labels.getByRole('radio', { name: 'Good' }).check();
  await labels.getByRole('button', { name: 'Submit' }).click();
  await expect(labels.getByTestId('label-status')).toHaveText('submitted');
  await page.goto('/models');
  const body = page.getByTestId('edit-stats').filter({ hasText: 'Body' });
  await expect(body).toContainText('100.0%');
  // Every label that started from this model's proposal kept it whole (the journey test's reader did too): all in the top tenth.
  await expect(body.getByRole('img', { name: /^Body: Dice of (\d+) labels, in tenths: 0, 0, 0, 0, 0, 0, 0, 0, 0, \1$/ })).toBeVisible();
  // And how fast it ran here, from the jobs just done.
  await expect(page.getByRole('article', { name: 'CT body, lungs and bone (classical baseline)' }).getByTestId('model-speed')).toContainText(/Speed on this server: [\d.]+ slices\/s over \d+ runs/);
  const csv = await page.request.get('/api/models/ct-body-lungs-bone/edits?format=csv');
  expect((await csv.text()).split('\r\n').filter(Boolean).length).toBeGreaterThan(1);
  await testInfo.attach('model-edits.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('an ML engineer adds a model from /models: a mismatched one is refused with the reason, a good one joins the registry', async ({ page }, testInfo) => {
  await new SignInPage(page).signInAs('ml@demo.cohort.local', 'demo-ml-engineer');
  await page.goto('/models');
  const shipped = JSON.parse(readFileSync('models/ct-body-lungs-bone/manifest.json', 'utf8')) as Record<string, unknown> & { input: Record<string, unknown> };
  const ours = { ...shipped, name: 'hospital-ct-e2e', title: 'Hospital CT (our export)', version: '3.0.0' };
  const form = page.getByRole('form', { name: 'Add a model' });
  const attach = async (manifest: unknown) => {
    await form.getByLabel('manifest.json').setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) });
    await form.getByLabel('Model (.onnx)').setInputFiles('models/ct-body-lungs-bone/model.onnx');
    await form.getByRole('button', { name: 'Add model' }).click();
  };

  // The manifest names an input the graph does not have: refused, with the graph's own names.
  await attach({ ...ours, input: { ...shipped.input, name: 'image' } });
  await expect(form.getByRole('alert')).toContainText('The model was refused');
  await expect(form.getByRole('alert')).toContainText('The graph has no input "image" (it has: hu)');
  await expect(page.getByRole('article', { name: 'Hospital CT (our export)' })).toHaveCount(0);

  await attach(ours);
  await expect(form.getByRole('status')).toContainText('Added hospital-ct-e2e: it passed every check');
  const card = page.getByRole('article', { name: 'Hospital CT (our export)' });
  await expect(card).toHaveAttribute('data-status', 'ready');
  await expect(card).toContainText('version 3.0.0');
  // Its own speed, not that of the shipped model whose file it shares.
  await expect(card.getByTestId('model-speed')).toContainText('measured once it has pre-annotated a series here');
  await testInfo.attach('model-upload.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});
