import { env } from '@/lib/config/env';
import type { Tx } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import { canonicalize } from './canonical-json';
import { ZNewLedgerEntry, type NewLedgerEntry } from './entry-types';
import { appendLeaf, frontier, leafHash } from './merkle';
import { loadNodes } from './node-store';

/** Held for the rest of the caller's transaction on PostgreSQL, so appends are strictly one at a time. */
const APPEND_LOCK = 7_262_028;
const GENESIS_PREV = Buffer.alloc(32);

export type AppendedEntry = { seq: number; leafHash: Buffer; canonical: string; recordedAt: Date };

/**
 * Records an auditable fact in the ledger, inside the caller's transaction: the fact and its entry
 * commit together or not at all. Appends are serialized (PostgreSQL: a transaction-scoped advisory
 * lock; SQLite: one writer, and Cohort serializes transactions on its connection), so sequence numbers
 * have no gaps and the log never forks; the primary key on `seq` refuses any second leaf n.
 *
 * The entry is the RFC 8785 canonical JSON of { v, seq, time, type, actor, subjects, payload, prev }, `prev`
 * naming the previous leaf hash; its leaf hash and every Merkle node it completes are stored with it.
 */
export async function appendEntry(tx: Tx, entry: NewLedgerEntry): Promise<AppendedEntry> {
  const { type, actor, subjects, payload } = ZNewLedgerEntry.parse(entry);
  if (env.databaseProvider === 'postgresql') {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${APPEND_LOCK})`;
  }
  const head = await tx.ledgerEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, leafHash: true } });
  const seq = head ? head.seq + 1 : 0;
  const prev = head ? Buffer.from(head.leafHash) : GENESIS_PREV;
  const recordedAt = new Date();
  const canonical = canonicalize({
    v: 1,
    seq,
    time: recordedAt.toISOString(),
    type,
    actor,
    subjects,
    payload,
    prev: prev.toString('hex'),
  });
  const hash = leafHash(Buffer.from(canonical, 'utf8'));
  const edge = frontier(seq);
  const lookup = await loadNodes(tx, edge);
  const completed = appendLeaf(seq, hash, edge.map(lookup));

  await tx.ledgerEntry.create({
    data: { seq, type, actor, recordedAt, leafHash: new Uint8Array(hash), prevHash: new Uint8Array(prev), canonical },
  });
  await insertRows(
    tx,
    'ledger_node',
    ['level', 'idx', 'hash'],
    completed.map((n) => [n.ref.level, n.ref.index, new Uint8Array(n.hash)]),
  );
  return { seq, leafHash: hash, canonical, recordedAt };
}
