import { Prisma } from '@/lib/db/generated/sqlite/client';
import type { Tx } from '@/lib/db/client';
import { HASH_SIZE, lookupFromMap, nodeKey, nodeOwner, type NodeLookup, type NodeRef } from './merkle';

/**
 * Fetches the stored Merkle nodes a computation needs, in one query, as a lookup for merkle.ts. A
 * node is stored on the entry that completed it (see `nodeOwner`): level 0 is that entry's leaf
 * hash, level L ≥ 1 the (L−1)th hash of its `nodes`. Raw SQL: proofs must take well under a millisecond.
 */
export async function loadNodes(db: Tx, refs: readonly NodeRef[]): Promise<NodeLookup> {
  const nodes = new Map<string, Uint8Array>();
  if (refs.length > 0) {
    const owners = [...new Set(refs.map(nodeOwner))];
    // CAST: PostgreSQL sees raw parameters as text; both databases read this the same way.
    const rows = await db.$queryRaw<{ seq: number | bigint; leaf_hash: Uint8Array; nodes: Uint8Array }[]>`
      SELECT seq, leaf_hash, nodes FROM ledger_entry WHERE seq IN (${Prisma.join(owners.map((s) => Prisma.sql`CAST(${s} AS INTEGER)`))})`;
    const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
    for (const ref of refs) {
      const row = bySeq.get(nodeOwner(ref));
      if (!row) continue; // reported by the lookup as a node that was not fetched
      const hash = ref.level === 0 ? row.leaf_hash : row.nodes.subarray((ref.level - 1) * HASH_SIZE, ref.level * HASH_SIZE);
      if (hash.length === HASH_SIZE) nodes.set(nodeKey(ref), hash);
    }
  }
  return lookupFromMap(nodes);
}

/** Entries in the ledger: the tree size. */
export async function ledgerSize(db: Tx): Promise<number> {
  const [row] = await db.$queryRaw<{ size: number | bigint | null }[]>`SELECT MAX(seq) + 1 AS size FROM ledger_entry`;
  return row?.size == null ? 0 : Number(row.size);
}
