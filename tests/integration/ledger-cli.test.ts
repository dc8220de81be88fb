import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';
import { getEntryProofBundle } from '@/lib/ledger/get-entry-proof-bundle';
import { getLogKey } from '@/lib/ledger/log-key';
import { generateSignerKey } from '@/lib/ledger/signed-note';
import { allowTampering, appendSamples } from '../helpers/ledger';
import { rawQuery } from '../helpers/raw-sql';

function cohort(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/cohort.ts', ...args], {
    encoding: 'utf8',
    env: process.env,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('cohort ledger (CLI)', () => {
  it('verifies a whole ledger and one proof bundle, and fails naming the first bad entry', async () => {
    await appendSamples(6);
    await createCheckpoint();
    const ok = cohort('ledger', 'verify');
    expect(ok.out, ok.err).toMatch(/^ledger OK: 6 entries, 10 Merkle nodes, 1 checkpoints; root /);
    expect(ok.code).toBe(0);

    const file = path.join(process.env.COHORT_DATA_DIR!, 'entry-2.proof.json');
    writeFileSync(file, JSON.stringify(await getEntryProofBundle(2)));
    const bundleOk = cohort('ledger', 'verify', '--bundle', file, '--key', getLogKey().verifierKey);
    expect(bundleOk.out).toMatch(/^proof OK: entry 2 \(consent.granted, /);
    expect(bundleOk.code).toBe(0);
    const wrongKey = cohort('ledger', 'verify', '--bundle', file, '--key', generateSignerKey(getLogKey().origin).vkey);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(/^PROOF INVALID: checkpoint: /);

    await allowTampering(process.env.DATABASE_URL!);
    await rawQuery(process.env.DATABASE_URL!, `UPDATE ledger_entry SET canonical = REPLACE(canonical, 'research', 'education') WHERE seq = 4`);
    const bad = cohort('ledger', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('LEDGER INVALID at entry 4: its content does not match its leaf hash: it was changed after it was recorded\n');
  });

  it('explains its usage', () => {
    const res = cohort('nonsense');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^usage: cohort ledger verify/);
  });
});
