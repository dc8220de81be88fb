import type { LedgerCheckpoint } from '@/lib/db/client';

/** A checkpoint as the API and pages show it: hashes in base64, the signed note verbatim. */
export type CheckpointView = { treeSize: number; rootHash: string; createdAt: string; note: string };

export function toCheckpointView(row: LedgerCheckpoint): CheckpointView {
  return {
    treeSize: row.treeSize,
    rootHash: Buffer.from(row.rootHash).toString('base64'),
    createdAt: row.createdAt.toISOString(),
    note: row.note,
  };
}
