import { env } from '@/lib/config/env';
import type { Tx } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import { canonicalize } from './canonical-json';
import { ZNewLedgerEntry, type NewLedgerEntry } from './entry-types';
import { appendLeaf, frontier, leafHashOfText, nextFrontier, packCompleted } from './merkle';
import { loadNodes } from './node-store';

/** Held for the rest of the caller's transaction on PostgreSQL, so appends are strictly one at a time. */
const APPEND_LOCK = 7_262_028;
const GENESIS_PREV = Buffer.alloc(32);
/** Raised by the database (trigger ledger_entry_chain) for an entry that is not the next one. */
const CHAIN_VIOLATION = 'ledger_entry: not the next entry of the chain';

export type AppendedEntry = { seq: number; leafHash: Buffer; canonical: string; recordedAt: Date };

/** The end of the ledger: its size, last leaf hash and frontier (the hashes the next leaf builds on). */
type Tip = { size: number; prev: Buffer; frontier: readonly Uint8Array[] };

/**
 * The tip as this process last wrote it, so an append need not read it back. A tip names its whole
 * history (its `prev` hash chains every entry before it), so it is right for any database whose last
 * entry has that hash, and the database's chain trigger refuses an entry written on any other tip.
 */
let rememberedTip: Tip | null = null;

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
 * transactions on its connection), and the database refuses any entry that is not the next link of
 * the chain, so sequence numbers have no gaps and the log never forks.
 *
 * Each entry is the RFC 8785 canonical JSON of { v, seq, time, type, actor, subjects, payload, prev },
 * `prev` naming the previous leaf hash; its leaf hash and the Merkle nodes it completes are stored in
 * its row. Raw SQL throughout: on this hot path each Prisma query-builder call costs more than its SQL.
 */
export async function appendEntries(tx: Tx, entries: readonly NewLedgerEntry[]): Promise<AppendedEntry[]> {
  const parsed = entries.map((e) => ZNewLedgerEntry.parse(e));
  if (parsed.length === 0) return [];
  if (env.databaseProvider === 'postgresql') {
    await lockLedger(tx);
    return writeEntries(tx, parsed, await readTip(tx));
  }
  // SQLite: write on the remembered tip. If another process appended since, or a transaction that
  // wrote it was rolled back, the chain trigger refuses the statement (only it: SQLite keeps the
  // transaction), and the entries are written again on the tip read from the database.
  if (rememberedTip) {
    try {
      return await writeEntries(tx, parsed, rememberedTip);
    } catch (err) {
      if (!(err instanceof Error && err.message.includes(CHAIN_VIOLATION))) throw err;
    }
  }
  return writeEntries(tx, parsed, await readTip(tx));
}

/**
 * Takes the append lock now rather than at the first append (PostgreSQL; SQLite has one writer), so
 * what the transaction reads next cannot change before its own entry is written: publication re-checks
 * consent this way, and every decision is then either before its entry in the ledger or after it.
 */
export async function lockLedger(tx: Tx): Promise<void> {
  if (env.databaseProvider === 'postgresql') await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${APPEND_LOCK})`;
}

async function readTip(tx: Tx): Promise<Tip> {
  const [head] = await tx.$queryRaw<{ seq: number | bigint; leaf_hash: Uint8Array }[]>`
    SELECT seq, leaf_hash FROM ledger_entry ORDER BY seq DESC LIMIT 1`;
  const size = head ? Number(head.seq) + 1 : 0;
  const prev = head ? Buffer.from(head.leaf_hash) : GENESIS_PREV;
  const remembered = rememberedTip;
  if (remembered && remembered.size === size && remembered.prev.equals(prev)) return remembered;
  const lookup = await loadNodes(tx, frontier(size));
  return { size, prev, frontier: frontier(size).map(lookup) };
}

async function writeEntries(tx: Tx, parsed: readonly NewLedgerEntry[], tip: Tip): Promise<AppendedEntry[]> {
  const recordedAt = new Date();
  const time = recordedAt.toISOString();
  let { size, prev, frontier: edge } = tip;
  const rows: unknown[][] = [];
  const appended: AppendedEntry[] = [];
  for (const { type, actor, subjects, payload } of parsed) {
    const seq = size;
    const canonical = canonicalize({ v: 1, seq, time, type, actor, subjects, payload, prev: prev.toString('hex') });
    const hash = leafHashOfText(canonical);
    const completed = appendLeaf(seq, hash, edge);
    edge = nextFrontier(edge, completed);
    rows.push([seq, type, actor, recordedAt, new Uint8Array(hash), new Uint8Array(prev), canonical, new Uint8Array(packCompleted(completed))]);
    appended.push({ seq, leafHash: hash, canonical, recordedAt });
    prev = hash;
    size++;
  }
  await insertRows(tx, 'ledger_entry', ['seq', 'type', 'actor', 'recorded_at', 'leaf_hash', 'prev_hash', 'canonical', 'nodes'], rows);
  rememberedTip = { size, prev, frontier: edge };
  return appended;
}
