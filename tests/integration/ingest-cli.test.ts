/** cohort ingest: folders and zip archives of real DICOM, with a summary and an honest exit code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { makeUser } from '../helpers/users';

function cohort(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/cohort.ts', ...args], {
    encoding: 'utf8',
    env: process.env,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('cohort ingest (CLI)', () => {
  it('stores a folder, reports what it refused, and is idempotent', async () => {
    const admin = await makeUser(['admin']);
    const folder = sample('valid/pydicom/dicomdirtests');
    const first = cohort('ingest', folder, '--as', admin.email);
    expect(first.out, first.err).toMatch(/^12 file\(s\) in [\d.]+s: 12 stored, 0 already stored, 0 refused$/m);
    expect(first.code).toBe(0);
    expect(await getDb().instance.count({ where: { series: { modality: { in: ['CT', 'MR', 'CR'] } } } })).toBeGreaterThanOrEqual(12);
    const again = cohort('ingest', folder, sample('invalid/ours/trunc_in_pixeldata.dcm'), '--as', admin.email);
    expect(again.out).toMatch(/^refused  trunc_in_pixeldata\.dcm: It is truncated/m);
    expect(again.out).toMatch(/13 file\(s\) in [\d.]+s: 0 stored, 12 already stored, 1 refused$/m);
    expect(again.code).toBe(1);
    expect(samplesUnder('valid/pydicom/dicomdirtests')).toHaveLength(12);
  });

  it('refuses a zip bomb member without inflating it, and a zip that climbs out of itself', async () => {
    const admin = await makeUser(['admin']);
    const bomb = cohort('ingest', sample('invalid/ours/zip_bomb_200MiB.zip'), '--as', admin.email);
    expect(bomb.out).toMatch(/refused  zip_bomb_200MiB\.zip\/zeros\.dcm: It would inflate \d+-fold \(200 MiB\): refused as a likely zip bomb/);
    expect(bomb.code).toBe(1);
    const before = await getDb().instance.count();
    const traversal = cohort('ingest', sample('invalid/ours/zip_path_traversal.zip'), '--as', admin.email);
    expect(traversal.err).toMatch(/The archive was refused: a member's name points outside it \(\.\.\/evil\.dcm\)/);
    expect(traversal.code).toBe(1);
    expect(await getDb().instance.count()).toBe(before); // not even the archive's good member
  });

  it('needs an admin to act for', async () => {
    const radiologist = await makeUser(['radiologist']);
    const run = cohort('ingest', mkdtempSync('/tmp/empty-'), '--as', radiologist.email);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/No active admin account/);
  });
});
