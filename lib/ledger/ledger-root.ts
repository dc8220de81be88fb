import type { Tx } from '@/lib/db/client';
import { nodesForRanges, root, rootRange } from './merkle';
import { loadNodes } from './node-store';

/** The Merkle root of the first `size` entries, from O(log size) stored nodes. */
export async function ledgerRoot(db: Tx, size: number): Promise<Buffer> {
  return root(size, await loadNodes(db, nodesForRanges([rootRange(size)])));
}
