import { Prisma } from '@/lib/db/generated/sqlite/client';
import type { Tx } from '@/lib/db/client';
import { lookupFromMap, nodeKey, type NodeLookup, type NodeRef } from './merkle';

/**
 * Fetches the stored Merkle nodes a computation needs, in one query, as a lookup for merkle.ts.
 * Raw SQL (row-value IN list) rather than a Prisma OR of pairs: proofs must take well under a millisecond.
 */
export async function loadNodes(db: Tx, refs: readonly NodeRef[]): Promise<NodeLookup> {
  const nodes = new Map<string, Uint8Array>();
  if (refs.length > 0) {
    // CAST: PostgreSQL sees raw parameters as text; both databases read this the same way.
    const pairs = Prisma.join(refs.map((r) => Prisma.sql`(CAST(${r.level} AS INTEGER), CAST(${r.index} AS INTEGER))`));
    const rows = await db.$queryRaw<{ level: number | bigint; idx: number | bigint; hash: Uint8Array }[]>`
      SELECT level, idx, hash FROM ledger_node WHERE (level, idx) IN (VALUES ${pairs})`;
    for (const row of rows) nodes.set(nodeKey({ level: Number(row.level), index: Number(row.idx) }), row.hash);
  }
  return lookupFromMap(nodes);
}

/** Entries in the ledger: the tree size. */
export async function ledgerSize(db: Tx): Promise<number> {
  const [row] = await db.$queryRaw<{ size: number | bigint | null }[]>`SELECT MAX(seq) + 1 AS size FROM ledger_entry`;
  return row?.size == null ? 0 : Number(row.size);
}
