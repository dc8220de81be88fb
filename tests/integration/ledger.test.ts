import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { appendEntry } from '@/lib/ledger/append-entry';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { openCheckpoint, signCheckpoint } from '@/lib/ledger/checkpoint';
import { createCheckpoint, getLatestCheckpoint } from '@/lib/ledger/create-checkpoint';
import { verifyEntryProof } from '@/lib/ledger/entry-proof-bundle';
import { getEntryProofBundle } from '@/lib/ledger/get-entry-proof-bundle';
import { ledgerRoot } from '@/lib/ledger/ledger-root';
import { getLogKey } from '@/lib/ledger/log-key';
import { leafHash, MemoryTree, verifyConsistency, verifyInclusion } from '@/lib/ledger/merkle';
import { ledgerSize } from '@/lib/ledger/node-store';
import { getConsistencyProof, getInclusionProof } from '@/lib/ledger/proofs';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '@/lib/ledger/signed-note';
import { verifyEntryRange } from '@/lib/ledger/verify-entries';
import { verifyLedger } from '@/lib/ledger/verify-ledger';
import { withReadSnapshot } from '@/lib/db/read-snapshot';
import { rawQuery } from '../helpers/raw-sql';
import { appendSamples, sampleEntry, TEST_ACTOR } from '../helpers/ledger';
import { killMidTransaction } from '../helpers/kill-mid-transaction';
import { makeUser } from '../helpers/users';

const databaseUrl = () => process.env.DATABASE_URL!;
const b64 = (s: string) => Buffer.from(s, 'base64');

describe('ledger', () => {
  it('verifies entries the fast path is not sure about the exact way, on one thread and on workers', async () => {
    const db = getDb();
    // Fractions, exponents and integers past 15 digits: canonical, but not what the scanner vouches for.
    const numbers = [0.25, 1e21, 1e-7, 2 ** 53, -1.5, 123456789012345.6];
    for (const [i, n] of numbers.entries()) await db.$transaction((tx) => appendEntry(tx, { ...sampleEntry(i), payload: { value: n, list: [n, i] } }));
    await appendSamples(7);
    const one = await verifyLedger({ workers: 0 });
    expect(one).toMatchObject({ ok: true, threads: 1 });
    // Ordinary entries are vouched for by the fast path, on either database: only the unusual ones are not.
    const size = (one as { entries: number }).entries;
    const range = await withReadSnapshot(databaseUrl(), (snapshot) => verifyEntryRange(snapshot, { begin: 0, end: size }));
    expect(range).toMatchObject({ failure: null, slow: numbers.length });
    expect(await verifyLedger({ workers: 2, mainThread: false, rangeSize: 4, parallelFrom: 0 })).toEqual({ ...one, threads: expect.any(Number) });
  });

  it('refuses entries that could carry PHI or are not attributable to a pseudonym, writing nothing', async () => {
    const db = getDb();
    const before = await ledgerSize(db);
    const bad = [
      { ...sampleEntry(0), payload: { note: 'John Smith, born 1960' } },
      { ...sampleEntry(0), payload: { email: 'john@example.org' } },
      { ...sampleEntry(0), actor: 'john@example.org' },
      { ...sampleEntry(0), subjects: ['Patient Name'] },
      { ...sampleEntry(0), type: 'user.login' },
      { ...sampleEntry(0), payload: { nested: { deep: 'x' } } },
    ];
    for (const entry of bad) {
      await expect(db.$transaction((tx) => appendEntry(tx, entry as never))).rejects.toThrow();
    }
    expect(await ledgerSize(db)).toBe(before);
    expect(pseudonymOf('user-1')).toMatch(/^p_[a-z2-7]{26}$/);
    expect(pseudonymOf('user-1')).toBe(pseudonymOf('user-1'));
    expect(pseudonymOf('user-2')).not.toBe(pseudonymOf('user-1'));
  });

  it('commits the fact and its entry together or not at all', async () => {
    const db = getDb();
    const user = await makeUser(['patient']);
    const before = await ledgerSize(db);
    await expect(
      db.$transaction(async (tx) => {
        await tx.notification.create({ data: { userId: user.id, kind: 'account', title: 'fact', body: '' } });
        await appendEntry(tx, sampleEntry(1));
        throw new Error('the fact fails after its entry was written');
      }),
    ).rejects.toThrow();
    expect(await ledgerSize(db)).toBe(before);
    expect(await db.notification.count({ where: { title: 'fact' } })).toBe(0);
    // This process remembered the rolled-back entry as the ledger's tip: the next append must not build on it.
    const next = await db.$transaction((tx) => appendEntry(tx, sampleEntry(2)));
    expect(next.seq).toBe(before);
    expect(await verifyLedger()).toMatchObject({ ok: true, entries: before + 1 });
  });

  it('appends a gap-free hash chain whose stored tree gives the same roots and proofs as a reference tree', async () => {
    const db = getDb();
    const start = await ledgerSize(db);
    const appended = await appendSamples(37, start);
    const rows = await db.ledgerEntry.findMany({ orderBy: { seq: 'asc' } });
    const reference = new MemoryTree();
    let prev: Buffer = Buffer.alloc(32);
    for (const row of rows) {
      const parsed = JSON.parse(row.canonical);
      expect(canonicalize(parsed)).toBe(row.canonical);
      expect(parsed).toMatchObject({ v: 1, seq: row.seq, prev: prev.toString('hex'), time: row.recordedAt.toISOString() });
      const leaf = leafHash(Buffer.from(row.canonical));
      expect(Buffer.from(row.leafHash).equals(leaf)).toBe(true);
      reference.append(leaf);
      prev = leaf;
    }
    expect(appended.map((a) => a.seq)).toEqual(Array.from({ length: 37 }, (_, i) => start + i));
    const size = reference.size;
    for (const n of [1, 2, 7, 16, size]) expect((await ledgerRoot(db, n)).equals(reference.root(n))).toBe(true);
    for (const seq of [0, 5, size - 1]) {
      const { proof, leafHash: leaf } = await getInclusionProof(seq, size);
      expect(verifyInclusion({ leafHash: b64(leaf), index: seq, size, proof: proof.map(b64), root: reference.root(size) })).toBe(true);
    }
    const consistency = await getConsistencyProof(3, size);
    expect(verifyConsistency({ size1: 3, size2: size, proof: consistency.proof.map(b64), root1: reference.root(3), root2: reference.root(size) })).toBe(true);
  });

  it('serializes many concurrent appenders: no gaps, no forks, verification passes', async () => {
    const db = getDb();
    const start = await ledgerSize(db);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => db.$transaction((tx) => appendEntry(tx, sampleEntry(1000 + i)), { timeout: 30_000 })),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => start + i));
    const report = await verifyLedger();
    expect(report).toMatchObject({ ok: true, entries: start + 40 });
  });

  it('rejects proof requests out of range with a reason', async () => {
    const size = await ledgerSize(getDb());
    await expect(getInclusionProof(size, size)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /seq must be between 0/ });
    await expect(getInclusionProof(0, size + 1)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /size must be between 1/ });
    await expect(getConsistencyProof(0, size)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(getConsistencyProof(5, 4)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('signs checkpoints in the C2SP formats with the log key, once per tree size', async () => {
    await appendSamples(2, 2000);
    const first = await createCheckpoint();
    expect(await createCheckpoint()).toEqual(first);
    const { verifierKey, origin } = getLogKey();
    const opened = openCheckpoint(first.note, parseVerifierKey(verifierKey), origin);
    expect(opened.size).toBe(first.treeSize);
    expect(opened.rootHash.toString('base64')).toBe(first.rootHash);
    expect(opened.extensions[0]).toMatch(/^Timestamp: \d{4}-\d\d-\d\dT/);
    expect(first.note.split('\n')[0]).toBe(origin);
    expect(await getLatestCheckpoint()).toEqual(first);
    await appendSamples(1, 2002);
    expect((await createCheckpoint()).treeSize).toBe(first.treeSize + 1);
  });

  it('gives a proof bundle that verifies offline, and fails when anything in it is changed', async () => {
    const [appended] = await appendSamples(1, 3000);
    const bundle = await getEntryProofBundle(appended!.seq);
    const verdict = verifyEntryProof(bundle, { trustedVerifierKey: getLogKey().verifierKey });
    expect(verdict).toMatchObject({ ok: true, entry: { seq: appended!.seq, type: 'consent.granted', actor: TEST_ACTOR } });
    const tampered = [
      { ...bundle, entry: { ...bundle.entry, canonical: bundle.entry.canonical.replace('research', 'commercial') } },
      { ...bundle, entry: { ...bundle.entry, seq: bundle.entry.seq + 1 } },
      { ...bundle, inclusion: { ...bundle.inclusion, proof: [...bundle.inclusion.proof].reverse().concat(bundle.inclusion.proof.length ? [] : ['AAAA']) } },
      { ...bundle, inclusion: { ...bundle.inclusion, proof: [flipFirstByte(bundle.inclusion.proof[0]!), ...bundle.inclusion.proof.slice(1)] } },
      { ...bundle, checkpoint: bundle.checkpoint.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`) },
    ];
    for (const t of tampered) expect(verifyEntryProof(t, { trustedVerifierKey: getLogKey().verifierKey }).ok).toBe(false);
    expect(bundle.inclusion.proof.length).toBeGreaterThan(1);
    // The pinned key decides, whatever key the bundle claims.
    const other = 'someone.else/ledger+00000000+AQ' + 'A'.repeat(42) + '=';
    expect(verifyEntryProof({ ...bundle, verifierKey: other }, { trustedVerifierKey: getLogKey().verifierKey }).ok).toBe(true);
    // A checkpoint re-signed by an impostor (who ships their own key in the bundle) passes only if that
    // key is trusted, which is why consumers pin the log's key.
    const { origin } = getLogKey();
    const impostor = generateSignerKey(origin);
    const forged = {
      ...bundle,
      checkpoint: signCheckpoint(openCheckpoint(bundle.checkpoint, parseVerifierKey(getLogKey().verifierKey), origin), parseSignerKey(impostor.skey)),
      verifierKey: impostor.vkey,
    };
    expect(verifyEntryProof(forged).ok).toBe(true);
    expect(verifyEntryProof(forged, { trustedVerifierKey: getLogKey().verifierKey })).toMatchObject({ ok: false, reason: expect.stringMatching(/^checkpoint: /) });
  });

  it('refuses UPDATE and DELETE on every ledger table, even as raw SQL', async () => {
    await appendSamples(1, 4000);
    await createCheckpoint();
    const statements = [
      `UPDATE ledger_entry SET type = 'dataset.published'`,
      `DELETE FROM ledger_entry`,
      `UPDATE ledger_entry SET nodes = leaf_hash`,
      `UPDATE ledger_checkpoint SET note = 'forged'`,
      `DELETE FROM ledger_checkpoint`,
    ];
    for (const sql of statements) await expect(rawQuery(databaseUrl(), sql), sql).rejects.toThrow(/append-only/);
    if (!databaseUrl().startsWith('file:')) await expect(rawQuery(databaseUrl(), 'TRUNCATE ledger_entry CASCADE')).rejects.toThrow(/append-only/);
    expect((await verifyLedger()).ok).toBe(true);
  });

  it('refuses, in the database itself, an entry that is not the next link of the chain', async () => {
    const [head] = await appendSamples(1, 4100);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const bytes = (h: string) => (databaseUrl().startsWith('file:') ? `X'${h}'` : `'\\x${h}'::bytea`);
    const insert = (seq: number, prev: string, leaf: string) =>
      rawQuery(
        databaseUrl(),
        `INSERT INTO ledger_entry (seq, type, actor, recorded_at, leaf_hash, prev_hash, canonical, nodes) VALUES (${seq}, 'consent.granted', '${TEST_ACTOR}', '2026-11-28T12:00:00.000Z', ${bytes(leaf)}, ${bytes(prev)}, '{}', ${bytes('')})`,
      );
    const next = head!.seq + 1;
    await expect(insert(next + 1, hex(head!.leafHash), 'aa'.repeat(32)), 'a gap').rejects.toThrow(/not the next entry of the chain/);
    await expect(insert(next, 'bb'.repeat(32), 'aa'.repeat(32)), 'a wrong previous hash').rejects.toThrow(/not the next entry of the chain/);
    await expect(insert(head!.seq, hex(head!.leafHash), 'aa'.repeat(32)), 'a second entry n').rejects.toThrow(/not the next entry of the chain/);
    expect(await ledgerSize(getDb())).toBe(next);
    // The app's own next append is unaffected.
    expect((await getDb().$transaction((tx) => appendEntry(tx, sampleEntry(4101)))).seq).toBe(next);
  });

  it('keeps neither the fact nor its entry when the process is killed mid-transaction', async () => {
    const db = getDb();
    const user = await makeUser(['patient']);
    const before = await ledgerSize(db);
    await killMidTransaction('tests/helpers/append-then-hang.ts', { HANG_USER_ID: user.id });
    expect(await db.notification.count({ where: { title: 'killed mid-append' } })).toBe(0);
    expect(await ledgerSize(db)).toBe(before);
    const next = await db.$transaction((tx) => appendEntry(tx, sampleEntry(5000)));
    expect(next.seq).toBe(before);
    expect((await verifyLedger()).ok).toBe(true);
  });
});

function flipFirstByte(b64hash: string): string {
  const bytes = Buffer.from(b64hash, 'base64');
  bytes[0] = bytes[0]! ^ 0xff;
  return bytes.toString('base64');
}
