#!/usr/bin/env -S npx tsx
/**
 * The Cohort command line (npm run cohort -- <command>):
 *   ledger verify                         check the whole ledger in DATABASE_URL; exit 0 only if all holds
 *   ledger verify --bundle <file> [--key <vkey>]
 *                                         check one entry's proof bundle offline (pin the log key with --key)
 *   ledger checkpoint                     sign a checkpoint of the ledger as it is now
 *   ingest <folder|zip|file>... [--as <admin email>]
 *                                         store the DICOM files found there; exit 0 only if none was refused
 *   pull <cid> --out <dir> (--from <peer multiaddr> | --gateway <url>) [--key <key file> [--identity <age identity file>]]
 *        [--trusted-key <vkey>] [--revocations <Cohort URL>] [--format all|dicom|nnunet|nifti|monai|coco] [--timeout <ms>]
 *                                         fetch a published dataset version, verify every block, file, the
 *                                         manifest signature and each consent proof, decrypt; exit 0 only if all holds.
 *                                         A key file shared with you (age-encrypted) is opened locally with --identity
 *   keygen [--out <file>]                 make an age identity (X25519) for receiving dataset keys, like age-keygen:
 *                                         the identity file (mode 0600) and the public key to register in Cohort
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
  if (area === 'pull' && command && !command.startsWith('--')) return pull(command);
  if (area === 'keygen') return keygen(option('--out'));
  process.stderr.write(
    'usage: cohort ledger verify [--bundle <file> [--key <vkey>]] | cohort ledger checkpoint | cohort ingest <folder|zip|file>... [--as <admin email>]\n' +
      '       cohort pull <cid> --out <dir> (--from <peer multiaddr> | --gateway <url>) [--key <key file> [--identity <age identity file>]] [--trusted-key <vkey>] [--format all|dicom|nnunet|nifti|monai|coco] [--timeout <ms>]\n' +
      '       cohort keygen [--out <identity file>]\n',
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
    `ledger OK: ${report.entries} entries, ${report.nodes} Merkle nodes, ${report.checkpoints} checkpoints; root ${report.root} (${seconds}s on ${report.threads} thread${report.threads === 1 ? '' : 's'})\n`,
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

async function pull(cid: string): Promise<number> {
  const out = option('--out');
  const from = option('--from');
  const gateway = option('--gateway');
  const repo = option('--repo');
  const format = option('--format') ?? 'all';
  if (!out || [from, gateway, repo].filter(Boolean).length > 1) {
    process.stderr.write(
      'usage: cohort pull <cid> --out <dir> [--from <peer multiaddr> | --gateway <url> | --repo <IPFS repository dir>] [--key <key file> [--identity <age identity file>]] [--trusted-key <vkey>]\n' +
        '  (no source: this installation\'s own repository, read offline while its server is stopped)\n',
    );
    return 2;
  }
  const { PULL_FORMATS, isPullFormat } = await import('../lib/datasets/pull/pull-formats');
  if (!isPullFormat(format)) {
    process.stderr.write(`--format ${format}: one of ${Object.keys(PULL_FORMATS).join(', ')}.\n`);
    return 2;
  }
  const { openPullSource } = await import('../lib/datasets/pull/pull-source');
  const { pullDataset } = await import('../lib/datasets/pull/pull-dataset');
  const { formatBytes } = await import('../lib/format/format-bytes.client');
  const { bar, progressLine } = await import('./progress-line');
  const { readKeyFile } = await import('../lib/datasets/pull/read-key-file');
  const keyPath = option('--key');
  const identityPath = option('--identity');
  let identityFile;
  try {
    identityFile = identityPath ? { path: identityPath, text: readFileSync(identityPath, 'utf8') } : undefined;
  } catch (err) {
    process.stderr.write(`--identity ${identityPath}: ${(err as Error).message}.\n`);
    return 2;
  }
  let key;
  try {
    // A key file shared with you is age-encrypted to your key: it is opened here, nothing leaves the machine.
    key = keyPath ? readKeyFile(readFileSync(keyPath), identityFile) : undefined;
  } catch (err) {
    process.stderr.write(`--key ${keyPath}: ${(err as Error).message}.\n`);
    return 2;
  }
  const timeoutMs = Number(option('--timeout') ?? 30_000);
  let node;
  try {
    // No source given: this installation's own repository.
    const source = from ? { peer: from } : gateway ? { gateway } : { repo: repo ?? (await import('../lib/config/env')).env.ipfsDir };
    node = await openPullSource(cid, source, timeoutMs);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const line = progressLine();
  try {
    const report = await pullDataset({
      ipfs: node,
      cid,
      out,
      key,
      trustedVerifierKey: option('--trusted-key'),
      format,
      onProgress: (p) => line.update(`${bar(p.done, p.total)} ${p.done}/${p.total} files ${p.file}`),
    });
    line.done();
    const m = report.manifest;
    // What the manifest says is someone else's text: no control character of it reaches the terminal.
    const printable = (text: string) => text.replace(/\p{Cc}/gu, '');
    const credited = m?.contributors.flatMap((c) => (c.name ? [printable(c.name)] : [])) ?? [];
    process.stdout.write(
      [
        m ? printable(`${m.dataset.name} (${m.dataset.purpose}, ${m.dataset.license})`) : cid,
        `studies: ${report.studies}`,
        `files: ${report.files} (${formatBytes(report.bytes)}, ${format}) written to ${out}`,
        `contributors: ${report.contributors}${credited.length ? ` (credited by name: ${credited.join(', ')})` : ''}`,
        `consent verified: ${report.consentVerified}/${report.studies}`,
        `signature: ${option('--trusted-key') ? 'checked against the key you trust' : 'checked against the key in the manifest (pin one with --trusted-key)'}`,
      ].join('\n') + '\n',
    );
    for (const problem of report.problems) process.stderr.write(`FAILED ${problem}\n`);
    const cohortUrl = option('--revocations') ?? gateway;
    if (m && cohortUrl) {
      // Revocations since publication, checked against the live ledger's proofs (the files stay verified).
      const { fetchRevocations } = await import('../lib/datasets/pull/fetch-revocations');
      const { checkRevocations } = await import('../lib/datasets/pull/check-revocations');
      try {
        const check = checkRevocations(m, await fetchRevocations(cohortUrl, cid, timeoutMs), option('--trusted-key') ?? m.ledger.verifierKey);
        for (const problem of check.problems) process.stderr.write(`FAILED ${problem}\n`);
        if (check.problems.length) report.ok = false;
        process.stdout.write(
          check.revoked.length
            ? `FLAGGED: ${check.revoked.length} of ${report.studies} studies were taken back since publication (${check.revoked.map((r) => `${r.study} ${r.state}`).join(', ')}): leave them out of training and of anything you share.\n`
            : 'revocations: none since publication\n',
        );
      } catch (err) {
        process.stderr.write(`revocations not checked: ${(err as Error).message}\n`);
      }
    } else {
      process.stdout.write('revocations: not checked (pass --revocations <Cohort URL> to check against the live ledger)\n');
    }
    process.stdout.write(report.ok ? 'verified\n' : `NOT VERIFIED: ${report.problems.length} problem(s)\n`);
    return report.ok ? 0 : 1;
  } catch (err) {
    line.done();
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    await node.stop();
  }
}

/** Like age-keygen: the identity file (never overwritten, readable by its owner only) and the public key on stderr. */
async function keygen(out: string | undefined): Promise<number> {
  const { writeFileSync } = await import('node:fs');
  const { formatIdentityFile, generateIdentity } = await import('../lib/keys/age-keys');
  const pair = generateIdentity();
  const text = formatIdentityFile(pair);
  if (!out) {
    process.stdout.write(text);
  } else {
    try {
      writeFileSync(out, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      process.stderr.write(`--out ${out}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'the file exists already (an identity is never overwritten)' : (err as Error).message}.\n`);
      return 1;
    }
  }
  process.stderr.write(`Public key: ${pair.recipient}\n`);
  if (out) process.stderr.write(`Register it in Cohort (Account → Dataset keys); keep ${out} on this machine: it opens the key files shared with that key.\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
