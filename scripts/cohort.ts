#!/usr/bin/env -S npx tsx
/**
 * The Cohort command line (npm run cohort -- <command>):
 *   ledger verify                         check the whole ledger in DATABASE_URL; exit 0 only if all holds
 *   ledger verify --bundle <file> [--key <vkey>]
 *                                         check one entry's proof bundle offline (pin the log key with --key)
 *   ledger checkpoint                     sign a checkpoint of the ledger as it is now
 *   ingest <folder|zip|file>... [--as <admin email>]
 *                                         store the DICOM files found there; exit 0 only if none was refused
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
  if (area === 'ingest' && args.length > 1) return ingest(operands(args.slice(1)), option('--as'));
  process.stderr.write(
    'usage: cohort ledger verify [--bundle <file> [--key <vkey>]] | cohort ledger checkpoint | cohort ingest <folder|zip|file>... [--as <admin email>]\n',
  );
  return 2;
}

/** Arguments that are neither options nor option values. */
function operands(list: string[]): string[] {
  return list.filter((a, i) => !a.startsWith('--') && !list[i - 1]?.startsWith('--'));
}

async function ingest(paths: string[], asEmail: string | undefined): Promise<number> {
  const { env } = await import('../lib/config/env');
  const { migrateDatabase } = await import('../lib/db/migrate');
  const { getDb, closeDb } = await import('../lib/db/client');
  const { recoverIngestJournal } = await import('../lib/dicom/ingest-journal');
  const { ingestFiles } = await import('../lib/dicom/ingest-files');
  const { pathFiles } = await import('../lib/dicom/path-files');
  const { formatBytes } = await import('../lib/format/format-bytes.client');
  const { bar, progressLine } = await import('./progress-line');
  await migrateDatabase({ databaseUrl: env.databaseUrl });
  await recoverIngestJournal();
  const email = (asEmail ?? env.COHORT_ADMIN_EMAIL).toLowerCase();
  const user = await getDb().user.findUnique({ where: { email }, select: { id: true, deactivatedAt: true, roles: { select: { role: true } } } });
  if (!user || user.deactivatedAt || !user.roles.some((r) => r.role === 'admin')) {
    await closeDb();
    process.stderr.write(`No active admin account ${email}: run npm run setup first, or name an admin with --as <email>.\n`);
    return 2;
  }
  const line = progressLine();
  const started = performance.now();
  const outcomes = await ingestFiles(pathFiles(paths, { maxEntryBytes: env.COHORT_MAX_DICOM_BYTES, maxTotalBytes: env.COHORT_MAX_ARCHIVE_BYTES }), {
    actorUserId: user.id,
    onProgress: (p) =>
      line.update(
        p.phase === 'receiving'
          ? `reading  ${p.files} file(s), ${formatBytes(p.bytes)}`
          : `storing  ${bar(p.done, p.files)} ${p.done}/${p.files}`,
      ),
  });
  line.done();
  await closeDb();
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  const rejected = outcomes.filter((o) => o.status === 'rejected');
  for (const o of rejected) process.stdout.write(`refused  ${o.name ?? '?'}: ${o.status === 'rejected' ? o.reason : ''}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${outcomes.length} file(s) in ${seconds}s: ${count('stored')} stored, ${count('duplicate')} already stored, ${rejected.length} refused\n`);
  return rejected.length === 0 ? 0 : 1;
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
