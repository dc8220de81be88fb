/**
 * Every kind of tampering someone with direct database access could do is found by verifyLedger,
 * which names the first bad entry or checkpoint and why. Each case gets a ledger of its own, and is
 * verified twice: on one thread, and split into ranges of 4 entries verified on worker threads
 * (what a large ledger gets), which must name the very same problem.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb, type Db } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { signCheckpoint } from '@/lib/ledger/checkpoint';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';
import { getLogKey } from '@/lib/ledger/log-key';
import { leafHash, MemoryTree, nodeHash, packCompleted } from '@/lib/ledger/merkle';
import { generateSignerKey, parseSignerKey } from '@/lib/ledger/signed-note';
import { verifyLedger, type VerifyOptions } from '@/lib/ledger/verify-ledger';
import { verifyWorkerCounts } from '@/lib/ledger/verify-pool';
import { log } from '@/lib/log/logger';
import { allowTampering, appendSamples } from '../helpers/ledger';
import { rawQuery } from '../helpers/raw-sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const globals = globalThis as { __cohortDb?: Db };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A fresh database with `size` entries and checkpoints at sizes 4 and `size`, used by the app's getDb(). */
let current = '';

async function ledgerOf(size: number): Promise<{ url: string; db: Db }> {
  const database: TestDatabase = await createTestDatabase(provider);
  current = database.url;
  await migrateDatabase({ databaseUrl: database.url });
  const db = createDb(database.url);
  const previous = globals.__cohortDb;
  globals.__cohortDb = db;
  cleanups.push(async () => {
    globals.__cohortDb = previous;
    await db.$disconnect();
    await database.drop();
  });
  await appendSamples(4);
  await createCheckpoint();
  await appendSamples(size - 4, 4);
  await createCheckpoint();
  expect(await verifyLedger({ databaseUrl: current })).toMatchObject({ ok: true, entries: size, checkpoints: 2 });
  await allowTampering(database.url);
  return { url: database.url, db };
}

const hexOfNodes = (seq: number) =>
  provider === 'sqlite' ? `SELECT lower(hex(nodes)) AS h FROM ledger_entry WHERE seq = ${seq}` : `SELECT encode(nodes, 'hex') AS h FROM ledger_entry WHERE seq = ${seq}`;
const bytes = (hex: string) => (provider === 'sqlite' ? `X'${hex}'` : `'\\x${hex}'::bytea`);

const MODES: { name: string; options: VerifyOptions }[] = [
  { name: 'on one thread', options: { workers: 0 } },
  { name: 'in ranges of 4 on two worker threads', options: { workers: 2, mainThread: false, rangeSize: 4, parallelFrom: 0 } },
];

describe(`verification worker threads (${provider})`, () => {
  it('are kept for the next verification, of this ledger or of another, and give the same answers', async () => {
    const options = MODES[1]!.options;
    await ledgerOf(13);
    const first = await verifyLedger({ databaseUrl: current, ...options });
    const after = verifyWorkerCounts();
    expect(after.idle).toBe(2);
    // (Warm threads share the ranges; on the first run one may start in time to do them all.)
    expect(await verifyLedger({ databaseUrl: current, ...options })).toEqual({ ...first, threads: expect.any(Number) });
    const { url } = await ledgerOf(9);
    await rawQuery(url, `UPDATE ledger_entry SET canonical = REPLACE(canonical, 'research', 'commercial') WHERE seq = 6`);
    expect(await verifyLedger({ databaseUrl: current, ...options })).toMatchObject({ ok: false, failure: { seq: 6 } });
    expect(await verifyLedger({ databaseUrl: current, ...options })).toMatchObject({ ok: false, failure: { seq: 6 } });
    // The same two threads did all of it.
    expect(verifyWorkerCounts()).toEqual(after);
  });
});

describe.each(MODES)(`tampering with the ledger (${provider}), verified $name`, ({ options }) => {
  const verify = () => verifyLedger({ databaseUrl: current, ...options });

  it('a ledger nobody touched verifies, to the same root as on one thread', async () => {
    await ledgerOf(13);
    const warn = vi.spyOn(log, 'warn');
    const report = await verify();
    expect(report).toEqual({ ...(await verifyLedger({ databaseUrl: current, workers: 0 })), threads: expect.any(Number) });
    // No worker failed to start (the main thread would then have done their ranges).
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('an entry whose payload was changed', async () => {
    const { url } = await ledgerOf(12);
    await rawQuery(url, `UPDATE ledger_entry SET canonical = REPLACE(canonical, 'research', 'commercial') WHERE seq = 5`);
    expect(await verify()).toEqual({ ok: false, failure: { phase: 'entries', seq: 5, reason: expect.stringMatching(/does not match its leaf hash/) } });
  });

  it('an entry changed together with its leaf hash', async () => {
    const { url, db } = await ledgerOf(12);
    // Entry 4 completes no Merkle node of its own, so the next entry's link is the first thing that breaks.
    const row = await db.ledgerEntry.findUniqueOrThrow({ where: { seq: 4 } });
    const forged = row.canonical.replace('research', 'commercial');
    const hex = leafHash(Buffer.from(forged)).toString('hex');
    await rawQuery(url, `UPDATE ledger_entry SET canonical = '${forged}', leaf_hash = ${bytes(hex)} WHERE seq = 4`);
    expect(await verify()).toEqual({ ok: false, failure: { phase: 'entries', seq: 5, reason: expect.stringMatching(/chain is broken/) } });
  });

  it('an entry deleted', async () => {
    const { url } = await ledgerOf(12);
    await rawQuery(url, 'DELETE FROM ledger_entry WHERE seq = 5');
    expect(await verify()).toEqual({ ok: false, failure: { phase: 'entries', seq: 5, reason: 'entry 5 is missing (the next one is 6)' } });
  });

  it('two entries swapped', async () => {
    const { url, db } = await ledgerOf(12);
    const [a, b] = await Promise.all([3, 4].map((seq) => db.ledgerEntry.findUniqueOrThrow({ where: { seq } })));
    await rawQuery(url, 'DELETE FROM ledger_entry WHERE seq IN (3, 4)');
    for (const [row, seq] of [[a!, 4], [b!, 3]] as const) {
      await rawQuery(
        url,
        `INSERT INTO ledger_entry (seq, type, actor, recorded_at, leaf_hash, prev_hash, canonical, nodes) VALUES (${seq}, '${row.type}', '${row.actor}', ${provider === 'sqlite' ? `'${row.recordedAt.toISOString().replace('Z', '+00:00')}'` : `'${row.recordedAt.toISOString()}'`}, ${bytes(Buffer.from(row.leafHash).toString('hex'))}, ${bytes(Buffer.from(row.prevHash).toString('hex'))}, '${row.canonical}', ${bytes(Buffer.from(row.nodes).toString('hex'))})`,
      );
    }
    expect(await verify()).toEqual({ ok: false, failure: { phase: 'entries', seq: 3, reason: 'its content says it is entry 4: entries were moved' } });
  });

  it('an entry inserted in the middle, with the whole history re-hashed to match (but not re-signed)', async () => {
    const { url, db } = await ledgerOf(12);
    const rows = await db.ledgerEntry.findMany({ orderBy: { seq: 'asc' } });
    const forgedContent = { ...JSON.parse(rows[6]!.canonical), payload: { purpose: 'commercial', n: 666 } };
    const contents = [...rows.slice(0, 6).map((r) => JSON.parse(r.canonical)), forgedContent, ...rows.slice(6).map((r) => JSON.parse(r.canonical))];
    await rawQuery(url, 'DELETE FROM ledger_entry');
    const tree = new MemoryTree();
    let prev: Buffer = Buffer.alloc(32);
    for (const [seq, content] of contents.entries()) {
      const canonical = canonicalize({ ...content, seq, prev: prev.toString('hex') });
      const leaf = leafHash(Buffer.from(canonical));
      const nodes = packCompleted(tree.append(leaf));
      await rawQuery(
        url,
        `INSERT INTO ledger_entry (seq, type, actor, recorded_at, leaf_hash, prev_hash, canonical, nodes) VALUES (${seq}, '${content.type}', '${content.actor}', '${provider === 'sqlite' ? content.time.replace('Z', '+00:00') : content.time}', ${bytes(leaf.toString('hex'))}, ${bytes(prev.toString('hex'))}, '${canonical}', ${bytes(nodes.toString('hex'))})`,
      );
      prev = leaf;
    }
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'checkpoints', treeSize: 12, reason: expect.stringMatching(/size 12: its root does not match the entries/) },
    });
  });

  it('the log truncated', async () => {
    const { url } = await ledgerOf(12);
    await rawQuery(url, 'DELETE FROM ledger_entry WHERE seq >= 9'); // its Merkle nodes go with it
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'checkpoints', treeSize: 12, reason: 'checkpoint at size 12: covers 12 entries but the ledger has only 9: entries were removed' },
    });
  });

  it('stored Merkle nodes removed', async () => {
    const { url } = await ledgerOf(12);
    // Entry 7 (0b111) completes nodes 1/3, 2/1 and 3/0: keep only the first.
    const [row] = await rawQuery<{ h: string }>(url, hexOfNodes(7));
    await rawQuery(url, `UPDATE ledger_entry SET nodes = ${bytes(row!.h.slice(0, 64))} WHERE seq = 7`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'nodes', seq: 7, reason: 'it stores 1 Merkle node hash(es) where its append completed 3' },
    });
  });

  it('a stored Merkle node changed in place', async () => {
    const { url } = await ledgerOf(12);
    const [row] = await rawQuery<{ h: string }>(url, hexOfNodes(7));
    const forged = `${row!.h.slice(0, 64)}${'00'.repeat(32)}${row!.h.slice(128)}`; // node 2/1
    await rawQuery(url, `UPDATE ledger_entry SET nodes = ${bytes(forged)} WHERE seq = 7`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'nodes', seq: 7, reason: 'the Merkle node 2/1 stored with it does not match the entries' },
    });
  });

  it('a stored Merkle node changed that spans ranges (checked once they are joined)', async () => {
    const { url } = await ledgerOf(12);
    const [row] = await rawQuery<{ h: string }>(url, hexOfNodes(7));
    const forged = `${row!.h.slice(0, 128)}${'00'.repeat(32)}`; // node 3/0: entries 0 to 7
    await rawQuery(url, `UPDATE ledger_entry SET nodes = ${bytes(forged)} WHERE seq = 7`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'nodes', seq: 7, reason: 'the Merkle node 3/0 stored with it does not match the entries' },
    });
  });

  it('a Merkle node added to an entry that completes none', async () => {
    const { url } = await ledgerOf(12);
    await rawQuery(url, `UPDATE ledger_entry SET nodes = ${bytes('11'.repeat(32))} WHERE seq = 4`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'nodes', seq: 4, reason: 'it stores 1 Merkle node hash(es) where its append completed 0' },
    });
  });

  it("an entry's indexed type column changed, its content not", async () => {
    const { url } = await ledgerOf(12);
    await rawQuery(url, `UPDATE ledger_entry SET type = 'dataset.published' WHERE seq = 9`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'entries', seq: 9, reason: 'its type, actor or time columns differ from its content' },
    });
  });

  it('a checkpoint re-signed with another key', async () => {
    const { url, db } = await ledgerOf(12);
    const { origin } = getLogKey();
    const impostor = parseSignerKey(generateSignerKey(origin).skey);
    const latest = await db.ledgerCheckpoint.findUniqueOrThrow({ where: { treeSize: 12 } });
    const note = signCheckpoint({ origin, size: 12, rootHash: latest.rootHash, extensions: ['Timestamp: 2026-01-01T00:00:00.000Z'] }, impostor);
    await rawQuery(url, `UPDATE ledger_checkpoint SET note = '${note}' WHERE tree_size = 12`);
    expect(await verify()).toMatchObject({
      ok: false,
      failure: { phase: 'checkpoints', treeSize: 12, reason: expect.stringMatching(/not signed by the log's key/) },
    });
  });

  it('a fork: a checkpoint, properly signed, of a history that is not this one', async () => {
    const { url } = await ledgerOf(12);
    // What a compromised server might show some users: size 8 with a different root.
    const { origin, signer } = getLogKey();
    const otherRoot = nodeHash(Buffer.alloc(32, 1), Buffer.alloc(32, 2));
    const note = signCheckpoint({ origin, size: 8, rootHash: otherRoot, extensions: ['Timestamp: 2026-01-01T00:00:00.000Z'] }, signer);
    await rawQuery(url, `INSERT INTO ledger_checkpoint (tree_size, root_hash, created_at, note) VALUES (8, ${bytes(otherRoot.toString('hex'))}, ${provider === 'sqlite' ? "'2026-01-01T00:00:00.000+00:00'" : "'2026-01-01T00:00:00Z'"}, '${note}')`);
    expect(await verify()).toEqual({
      ok: false,
      failure: { phase: 'checkpoints', treeSize: 8, reason: 'checkpoint at size 8: its root does not match the entries: history was rewritten or forked' },
    });
  });
});
