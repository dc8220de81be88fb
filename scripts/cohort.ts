#!/usr/bin/env -S npx tsx
/**
 * The Cohort command line (npm run cohort -- <command>):
 *   ledger verify                         check the whole ledger in DATABASE_URL; exit 0 only if all holds
 *   ledger verify --bundle <file> [--key <vkey>]
 *                                         check one entry's proof bundle offline (pin the log key with --key)
 *   ledger checkpoint                     sign a checkpoint of the ledger as it is now
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<number> {
  const [area, command] = args;
  if (area === 'ledger' && command === 'verify' && option('--bundle')) return verifyBundle(option('--bundle')!, option('--key'));
  if (area === 'ledger' && command === 'verify') return verifyWholeLedger();
  if (area === 'ledger' && command === 'checkpoint') return signCheckpointNow();
  process.stderr.write('usage: cohort ledger verify [--bundle <file> [--key <vkey>]] | cohort ledger checkpoint\n');
  return 2;
}

async function verifyWholeLedger(): Promise<number> {
  const { verifyLedger } = await import('../lib/ledger/verify-ledger');
  const { closeDb } = await import('../lib/db/client');
  const started = performance.now();
  const report = await verifyLedger({
    onProgress: (p) => process.stderr.write(`\r${p.phase.padEnd(11)} ${p.done}/${p.total}   `),
  });
  await closeDb();
  process.stderr.write('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!report.ok) {
    const { phase, seq, treeSize, reason } = report.failure;
    const where = seq !== undefined ? `entry ${seq}` : treeSize !== undefined ? `checkpoint ${treeSize}` : phase;
    process.stdout.write(`LEDGER INVALID at ${where}: ${reason}\n`);
    return 1;
  }
  process.stdout.write(
    `ledger OK: ${report.entries} entries, ${report.nodes} Merkle nodes, ${report.checkpoints} checkpoints; root ${report.root} (${seconds}s)\n`,
  );
  return 0;
}

async function verifyBundle(file: string, key: string | undefined): Promise<number> {
  const { verifyEntryProof } = await import('../lib/ledger/entry-proof-bundle');
  const verdict = verifyEntryProof(JSON.parse(readFileSync(file, 'utf8')), key ? { trustedVerifierKey: key } : {});
  if (!verdict.ok) {
    process.stdout.write(`PROOF INVALID: ${verdict.reason}\n`);
    return 1;
  }
  if (!key) process.stderr.write('warning: no --key given; trusted the key inside the bundle\n');
  const { seq, type, time } = verdict.entry;
  process.stdout.write(`proof OK: entry ${seq} (${type}, ${time}) is in ${verdict.origin} at size ${verdict.treeSize}\n`);
  return 0;
}

async function signCheckpointNow(): Promise<number> {
  const { createCheckpoint } = await import('../lib/ledger/create-checkpoint');
  const { closeDb } = await import('../lib/db/client');
  const checkpoint = await createCheckpoint();
  await closeDb();
  process.stdout.write(checkpoint.note);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
