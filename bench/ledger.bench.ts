/**
 * Ledger benchmarks, each beside a baseline measured in the same run:
 * - append: appendEntry (serialized, hashed, Merkle nodes written) one transaction per fact, single
 *   writer on SQLite, vs Prisma inserts of the same entry rows without the ledger's work;
 * - proofs at 1,000,000 entries from the database vs the same proofs from an in-memory tree;
 * - full verification throughput (MiB/s of canonical entries) vs plain SHA-256 of the same bytes.
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { entry, medianMs, report } from './harness';

const APPENDS = 5_000;
const LEAVES = 1_000_000;
const PROOF_SAMPLES = 200;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-ledger-'));
process.env.COHORT_DATA_DIR = dataDir;
const appendUrl = `file:${path.join(dataDir, 'append.db')}`;
const bigUrl = `file:${path.join(dataDir, 'million.db')}`;
// Read once by lib/config/env at first import: getDb() below is the million-entry ledger.
process.env.DATABASE_URL = bigUrl;

const { migrateDatabase } = await import('../lib/db/migrate');
const { createDb } = await import('../lib/db/client');
const { appendEntry, appendEntries } = await import('../lib/ledger/append-entry');
const { canonicalize } = await import('../lib/ledger/canonical-json');
const { leafHash, MemoryTree, packCompleted } = await import('../lib/ledger/merkle');
const { signCheckpoint } = await import('../lib/ledger/checkpoint');
const { getLogKey } = await import('../lib/ledger/log-key');

const sample = (i: number) => ({ type: 'consent.granted' as const, actor: 'p_abcdefghijklmnopqrstuvwxyz', subjects: [`study-${i}`], payload: { purpose: 'research', n: i } });

// ---- append ----
await migrateDatabase({ databaseUrl: appendUrl });
const appendDb = createDb(appendUrl);
// Warm up (JIT, statement and client caches) before timing anything, ours and the baseline alike.
const WARMUP = 1_000;
for (let i = 0; i < WARMUP; i++) await appendDb.$transaction((tx) => appendEntry(tx, sample(-1 - i)));
let t = performance.now();
for (let i = 0; i < APPENDS; i++) await appendDb.$transaction((tx) => appendEntry(tx, sample(i)));
const appendMs = performance.now() - t;
// Batched: 100 facts per transaction, as an ingest of many studies records them.
t = performance.now();
for (let i = 0; i < APPENDS; i += 100) {
  await appendDb.$transaction((tx) => appendEntries(tx, Array.from({ length: 100 }, (_, j) => sample(APPENDS + i + j))));
}
const batchMs = performance.now() - t;
// Baseline: the same rows (each entry with its Merkle nodes), inserted by Prisma with no reading or hashing.
const entries = await appendDb.ledgerEntry.findMany({ where: { seq: { lt: WARMUP + APPENDS } }, orderBy: { seq: 'asc' } });
const baselineUrl = `file:${path.join(dataDir, 'baseline.db')}`;
await migrateDatabase({ databaseUrl: baselineUrl });
const baselineDb = createDb(baselineUrl);
for (const e of entries.slice(0, WARMUP)) await baselineDb.$transaction((tx) => tx.ledgerEntry.create({ data: e }));
t = performance.now();
for (const e of entries.slice(WARMUP)) await baselineDb.$transaction((tx) => tx.ledgerEntry.create({ data: e }));
const baselineMs = performance.now() - t;
await appendDb.$disconnect();
await baselineDb.$disconnect();

// ---- a ledger of 1,000,000 entries, written directly (appendEntry would take minutes) ----
await migrateDatabase({ databaseUrl: bigUrl });
const tree = new MemoryTree();
const raw = new Database(bigUrl.slice('file:'.length));
const insertEntry = raw.prepare('INSERT INTO ledger_entry (seq, type, actor, recorded_at, leaf_hash, prev_hash, canonical, nodes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const canonicalBytes: Buffer[] = [];
raw.transaction(() => {
  let prev: Buffer = Buffer.alloc(32);
  const time = new Date('2026-11-28T12:00:00.000Z');
  for (let seq = 0; seq < LEAVES; seq++) {
    const s = sample(seq);
    const canonical = canonicalize({ v: 1, seq, time: time.toISOString(), ...s, prev: prev.toString('hex') });
    const bytes = Buffer.from(canonical);
    const leaf = leafHash(bytes);
    insertEntry.run(seq, s.type, s.actor, '2026-11-28T12:00:00.000+00:00', leaf, prev, canonical, packCompleted(tree.append(leaf)));
    canonicalBytes.push(bytes);
    prev = leaf;
  }
})();
const { origin, signer } = getLogKey();
const note = signCheckpoint({ origin, size: LEAVES, rootHash: tree.root(), extensions: ['Timestamp: 2026-11-28T12:00:00.000Z'] }, signer);
raw.prepare('INSERT INTO ledger_checkpoint (tree_size, root_hash, created_at, note) VALUES (?, ?, ?, ?)').run(LEAVES, tree.root(), '2026-11-28T12:00:00.000+00:00', note);
raw.close();
// The verification baseline, measured now: the million buffers it hashes are then let go, so they
// are not the heap the verifier's collector has to walk.
const totalBytes = canonicalBytes.reduce((n, b) => n + b.length, 0);
// Plain SHA-256 of each entry, one-shot (the fastest Node offers for many small inputs), with the
// digest in whichever form Node hands back cheapest ('binary' is latin1): a Buffer per digest costs
// more than hashing a few hundred bytes (about 3× slower here), and a baseline should be strong.
let hashMs = Infinity;
for (const encoding of ['buffer', 'hex', 'binary'] as const) {
  hashMs = Math.min(hashMs, await medianMs(5, async () => {
    for (const b of canonicalBytes) hash('sha256', b, encoding);
  }));
}
canonicalBytes.length = 0;

// ---- proofs at 1,000,000 leaves ----
const { getDb, closeDb } = await import('../lib/db/client');
const { getInclusionProof, getConsistencyProof } = await import('../lib/ledger/proofs');
const { verifyLedger } = await import('../lib/ledger/verify-ledger');
getDb();
let rnd = 42;
const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) % LEAVES;
const pairs = Array.from({ length: PROOF_SAMPLES }, () => [next(), next()] as const);
await getInclusionProof(0, LEAVES); // warm up the client and statement caches
const perCall = async (fn: (a: number, b: number) => unknown) => {
  const times: number[] = [];
  for (const [a, b] of pairs) {
    const start = performance.now();
    await fn(a, b);
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y)[Math.floor(times.length / 2)]!;
};
const inclusionDb = await perCall((a) => getInclusionProof(a, LEAVES));
const inclusionMem = await perCall((a) => tree.inclusionProof(a, LEAVES));
const consistencyDb = await perCall((a, b) => getConsistencyProof(Math.max(1, Math.min(a, b)), Math.max(a, b, 1)));
const consistencyMem = await perCall((a, b) => tree.consistencyProof(Math.max(1, Math.min(a, b)), Math.max(a, b, 1)));

// ---- full verification throughput ----
const verifyMs = await medianMs(5, async () => {
  const result = await verifyLedger();
  if (!result.ok) throw new Error(`bench ledger does not verify: ${JSON.stringify(result)}`);
});
await closeDb();
rmSync(dataDir, { recursive: true, force: true });

const MiB = 1024 * 1024;
report([
  entry('ledger.append: appendEntry, one transaction per fact (SQLite, single writer)', 'appends/s', APPENDS / (appendMs / 1000), 'Prisma inserts of the same entry rows, one transaction each', APPENDS / (baselineMs / 1000)),
  entry('ledger.append: appendEntries, 100 facts per transaction (SQLite)', 'appends/s', APPENDS / (batchMs / 1000), 'Prisma inserts of the same rows, one transaction per fact', APPENDS / (baselineMs / 1000)),
  entry('ledger.proof: inclusion proof at 1,000,000 entries, from the database', 'ms', inclusionDb, 'the same proof from an in-memory tree', inclusionMem),
  entry('ledger.proof: consistency proof at 1,000,000 entries, from the database', 'ms', consistencyDb, 'the same proof from an in-memory tree', consistencyMem),
  entry('ledger.verify: full verification of 1,000,000 entries', 'MiB/s', totalBytes / MiB / (verifyMs / 1000), 'SHA-256 of the same canonical bytes, one-shot per entry', totalBytes / MiB / (hashMs / 1000)),
]);
