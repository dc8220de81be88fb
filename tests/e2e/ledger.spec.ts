import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { SignInPage } from './pages';

test('the ledger page shows entries and the signed checkpoint, verifies, and hands out proofs that verify offline', async ({ page }) => {
  // No part of Cohort records facts yet in this version, so the test appends some to the server's ledger.
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/helpers/append-samples-cli.ts', '7'], {
    env: { ...process.env, COHORT_DATA_DIR: 'tests/.artifacts/e2e-data' },
  });

  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/ledger');
  await expect(page.getByTestId('ledger-entries').locator('tbody tr')).toHaveCount(7);
  await page.getByRole('button', { name: 'Sign a checkpoint now' }).click();
  await expect(page.getByTestId('checkpoint')).toContainText(/^Log \(origin\)localhost:3100\/cohort\/ledger/);
  await expect(page.getByText('7 of 7 entries, signed')).toBeVisible();

  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByText('The ledger verifies')).toBeVisible();
  await expect(page.getByTestId('verify-panel')).toContainText('7 entries re-hashed');

  await page.getByLabel('Fact type').selectOption('dataset.published');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByLabel('Fact type').selectOption('consent.granted');
  await page.getByRole('button', { name: 'Filter' }).click();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the proof of entry 6' }).click()]);
  const file = path.join('tests/.artifacts', download.suggestedFilename());
  await download.saveAs(file);
  const key = (await (await page.request.get('/.well-known/cohort-ledger-key')).text()).trim();
  const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/cohort.ts', 'ledger', 'verify', '--bundle', file, '--key', key], { encoding: 'utf8' });
  expect(out).toMatch(/^proof OK: entry 6 \(consent.granted, .*\) is in localhost:3100\/cohort\/ledger at size 7/);
  expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('cohort-ledger-proof/v1');
});
