import { env } from '@/lib/config/env';
import type { Tx } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import { canonicalize } from './canonical-json';
import { ZNewLedgerEntry, type NewLedgerEntry } from './entry-types';
import { appendLeaf, frontier, leafHash, nodeKey, type CompletedNode } from './merkle';
import { loadNodes } from './node-store';

/** Held for the rest of the caller's transaction on PostgreSQL, so appends are strictly one at a time. */
const APPEND_LOCK = 7_262_028;
const GENESIS_PREV = Buffer.alloc(32);

export type AppendedEntry = { seq: number; leafHash: Buffer; canonical: string; recordedAt: Date };

/**
 * Records an auditable fact in the ledger, inside the caller's transaction: the fact and its entry
 * commit together or not at all. See appendEntries.
 */
export async function appendEntry(tx: Tx, entry: NewLedgerEntry): Promise<AppendedEntry> {
  const [appended] = await appendEntries(tx, [entry]);
  return appended!;
}

/**
 * Records facts in the ledger, in order, inside the caller's transaction. Appends are serialized
 * (PostgreSQL: a transaction-scoped advisory lock; SQLite: one writer, and Cohort serializes
 * transactions on its connection), so sequence numbers have no gaps and the log never forks; the
 * primary key on `seq` refuses any second leaf n.
 *
 * Each entry is the RFC 8785 canonical JSON of { v, seq, time, type, actor, subjects, payload, prev },
 * `prev` naming the previous leaf hash; its leaf hash and every Merkle node it completes are stored
 * with it. Raw SQL throughout: on this hot path each Prisma query-builder call costs more than its SQL.
 */
export async function appendEntries(tx: Tx, entries: readonly NewLedgerEntry[]): Promise<AppendedEntry[]> {
  const parsed = entries.map((e) => ZNewLedgerEntry.parse(e));
  if (parsed.length === 0) return [];
  if (env.databaseProvider === 'postgresql') {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${APPEND_LOCK})`;
  }
  const [head] = await tx.$queryRaw<{ seq: number | bigint; leaf_hash: Uint8Array }[]>`
    SELECT seq, leaf_hash FROM ledger_entry ORDER BY seq DESC LIMIT 1`;
  let size = head ? Number(head.seq) + 1 : 0;
  let prev: Buffer = head ? Buffer.from(head.leaf_hash) : GENESIS_PREV;
  const lookup = await loadNodes(tx, frontier(size));
  // The right edge of the tree as appends proceed: frontier nodes, old and newly completed.
  const edge = new Map(frontier(size).map((ref) => [nodeKey(ref), lookup(ref)]));

  const recordedAt = new Date();
  const entryRows: unknown[][] = [];
  const nodes: CompletedNode[] = [];
  const appended: AppendedEntry[] = [];
  for (const { type, actor, subjects, payload } of parsed) {
    const seq = size;
    const canonical = canonicalize({ v: 1, seq, time: recordedAt.toISOString(), type, actor, subjects, payload, prev: prev.toString('hex') });
    const hash = leafHash(Buffer.from(canonical, 'utf8'));
    const completed = appendLeaf(seq, hash, frontier(seq).map((ref) => edge.get(nodeKey(ref))!));
    for (const node of completed) edge.set(nodeKey(node.ref), node.hash);
    nodes.push(...completed);
    entryRows.push([seq, type, actor, recordedAt, new Uint8Array(hash), new Uint8Array(prev), canonical]);
    appended.push({ seq, leafHash: hash, canonical, recordedAt });
    prev = hash;
    size++;
  }
  await insertRows(tx, 'ledger_entry', ['seq', 'type', 'actor', 'recorded_at', 'leaf_hash', 'prev_hash', 'canonical'], entryRows);
  await insertRows(tx, 'ledger_node', ['level', 'idx', 'hash'], nodes.map((n) => [n.ref.level, n.ref.index, new Uint8Array(n.hash)]));
  return appended;
}
