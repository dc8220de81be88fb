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
