import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SignInPage } from './pages';

const RADIOLOGIST = { email: 'radiologist@demo.cohort.local', password: 'demo-radiologist' };
const ENGINEER = { email: 'ml@demo.cohort.local', password: 'demo-ml-engineer' };

test('a radiologist registers a dataset key, an ML engineer shares a private version with it, and only their identity opens the key file', async ({ page, browser }, testInfo) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-e2e-age-'));
  try {
    // The identity is made where it will be used, with the reference tool; Cohort only sees the public key.
    const identity = path.join(dir, 'identity.txt');
    const keygen = spawnSync('age-keygen', ['-o', identity], { encoding: 'utf8' });
    test.skip(keygen.error !== undefined, 'the age tool (Debian package age) is not installed');
    const recipient = /age1[0-9a-z]+/.exec(readFileSync(identity, 'utf8'))![0];

    const reader = await (await browser.newContext()).newPage();
    await new SignInPage(reader).signInAs(RADIOLOGIST.email, RADIOLOGIST.password);
    await reader.goto('/account');
    await reader.getByLabel('Label').fill('Reading-room workstation');
    await reader.getByTestId('recipient-key-input').fill(recipient);
    await reader.getByRole('button', { name: 'Add key' }).click();
    await expect(reader.getByTestId('recipient-keys')).toContainText('Reading-room workstation');

    // The version published by datasets.spec.ts is private (AI training): the engineer shares it from its page.
    await new SignInPage(page).signInAs(ENGINEER.email, ENGINEER.password);
    await page.goto('/datasets');
    await page.getByRole('link', { name: /^Demo quality/ }).first().click();
    const version = page.getByTestId('dataset-version-row').first();
    const cid = (await version.getByTestId('version-cid').innerText()).trim();
    const share = version.getByTestId('version-share');
    const option = share.getByTestId('share-key-select').locator('option', { hasText: 'Reading-room workstation' });
    await share.getByTestId('share-key-select').selectOption((await option.getAttribute('value'))!);
    await share.getByRole('button', { name: 'Share' }).click();
    await expect(share.getByTestId('version-grants')).toContainText('Reading-room workstation');
    await testInfo.attach('version-shared.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    // The radiologist finds it on their account page; the key file opens only with their identity.
    await reader.reload();
    const shared = reader.getByTestId('shared-datasets').locator('tr', { hasText: cid });
    await expect(shared).toContainText('Reading-room workstation');
    const [download] = await Promise.all([reader.waitForEvent('download'), shared.getByTestId('shared-key-file').click()]);
    const ageFile = path.join(dir, download.suggestedFilename());
    await download.saveAs(ageFile);
    const opened = spawnSync('age', ['-d', '-i', identity, ageFile], { encoding: 'utf8' });
    expect(opened.status, opened.stderr).toBe(0);
    const keyFile = JSON.parse(opened.stdout) as { rootCid: string; keyId: string };
    expect(keyFile.rootCid).toBe(cid);
    const manifest = (await (await page.request.get(`/ipfs/${cid}/manifest.json`)).json()) as { encryption: { keyId: string } };
    expect(keyFile.keyId).toBe(manifest.encryption.keyId);
    // Someone else's identity does not open it.
    const other = path.join(dir, 'other.txt');
    spawnSync('age-keygen', ['-o', other]);
    expect(spawnSync('age', ['-d', '-i', other, ageFile]).status).not.toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
