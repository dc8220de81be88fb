import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SignInPage } from './pages';

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
});
