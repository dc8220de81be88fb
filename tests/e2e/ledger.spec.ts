import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { SignInPage } from './pages';

test('the ledger page shows entries and the signed checkpoint, verifies, and hands out proofs that verify offline', async ({ page }) => {
  await new SignInPage(page).signInAs(E2E_ADMIN.email, E2E_ADMIN.password);
  // Earlier tests may have recorded consent decisions; seven more facts are appended to the server's ledger from outside.
  await page.goto('/ledger?type=consent.granted');
  const rows = page.getByTestId('ledger-entries').locator('tbody tr');
  const before = await rows.filter({ hasText: 'consent.granted' }).count();
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/helpers/append-samples-cli.ts', '7'], {
    env: { ...process.env, COHORT_DATA_DIR: 'tests/.artifacts/e2e-data' },
  });
  await page.reload();
  await expect(rows.filter({ hasText: 'consent.granted' })).toHaveCount(before + 7);
  await page.goto('/ledger');
  await expect(rows.filter({ hasText: 'study.ingested' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Sign a checkpoint now' }).click();
  await expect(page.getByTestId('checkpoint')).toContainText(/^Log \(origin\)localhost:3100\/cohort\/ledger/);
  const signed = page.getByText(/^(\d+) of \1 entries, signed/);
  await expect(signed).toBeVisible();
  const size = Number((await signed.textContent())!.match(/^(\d+)/)![1]);
  expect(size).toBeGreaterThan(7);

  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByText('The ledger verifies')).toBeVisible();
  await expect(page.getByTestId('verify-panel')).toContainText(`${size} entries re-hashed`);

  // Nobody has declined anything yet.
  await page.getByLabel('Fact type').selectOption('consent.denied');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByLabel('Fact type').selectOption('consent.granted');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(rows).toHaveCount(before + 7);

  const seq = size - 2; // the second newest consent fact
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download the proof of entry ${seq}` }).click()]);
  const file = path.join('tests/.artifacts', download.suggestedFilename());
  await download.saveAs(file);
  const key = (await (await page.request.get('/.well-known/cohort-ledger-key')).text()).trim();
  const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/cohort.ts', 'ledger', 'verify', '--bundle', file, '--key', key], { encoding: 'utf8' });
  expect(out).toMatch(new RegExp(`^proof OK: entry ${seq} \\(consent.granted, .*\\) is in localhost:3100/cohort/ledger at size ${size}`));
  expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('cohort-ledger-proof/v1');
});
