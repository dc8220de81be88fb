import type { Tx } from '@/lib/db/client';
import { lookupFromMap, nodeKey, type NodeLookup, type NodeRef } from './merkle';

/** Fetches the stored Merkle nodes a computation needs, in one query, as a lookup for merkle.ts. */
export async function loadNodes(db: Tx, refs: readonly NodeRef[]): Promise<NodeLookup> {
  const nodes = new Map<string, Uint8Array>();
  if (refs.length > 0) {
    const rows = await db.ledgerNode.findMany({
      where: { OR: refs.map((r) => ({ level: r.level, idx: r.index })) },
      select: { level: true, idx: true, hash: true },
    });
    for (const row of rows) nodes.set(nodeKey({ level: row.level, index: row.idx }), row.hash);
  }
  return lookupFromMap(nodes);
}

/** Entries in the ledger: the tree size. */
export async function ledgerSize(db: Tx): Promise<number> {
  const head = await db.ledgerEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
  return head ? head.seq + 1 : 0;
}
