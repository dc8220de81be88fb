import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { buildProof, consistencyProofRanges, inclusionProofRanges, nodesForRanges } from './merkle';
import { ledgerSize, loadNodes } from './node-store';

export type InclusionProof = { seq: number; treeSize: number; leafHash: string; proof: string[] };
export type ConsistencyProof = { from: number; to: number; proof: string[] };

/** RFC 9162 inclusion proof of entry `seq` in the tree of `treeSize` entries (hashes base64). */
export async function getInclusionProof(seq: number, treeSize: number): Promise<InclusionProof> {
  const db = getDb();
  const size = await ledgerSize(db);
  if (treeSize < 1 || treeSize > size) throw new AppError('BAD_REQUEST', `size must be between 1 and ${size} (the ledger's size).`);
  if (seq < 0 || seq >= treeSize) throw new AppError('BAD_REQUEST', `seq must be between 0 and ${treeSize - 1} for a tree of size ${treeSize}.`);
  const ranges = inclusionProofRanges(seq, treeSize);
  const leaf = { level: 0, index: seq };
  // One query for the leaf hash and every node the proof needs.
  const lookup = await loadNodes(db, [leaf, ...nodesForRanges(ranges)]);
  const proof = buildProof(ranges, lookup).map((h) => h.toString('base64'));
  return { seq, treeSize, leafHash: Buffer.from(lookup(leaf)).toString('base64'), proof };
}

/** RFC 9162 consistency proof between the trees of `from` and `to` entries (hashes base64). */
export async function getConsistencyProof(from: number, to: number): Promise<ConsistencyProof> {
  const size = await ledgerSize(getDb());
  if (to < 1 || to > size) throw new AppError('BAD_REQUEST', `to must be between 1 and ${size} (the ledger's size).`);
  if (from < 1 || from > to) throw new AppError('BAD_REQUEST', `from must be between 1 and ${to}.`);
  const ranges = consistencyProofRanges(from, to);
  const lookup = await loadNodes(getDb(), nodesForRanges(ranges));
  return { from, to, proof: buildProof(ranges, lookup).map((h) => h.toString('base64')) };
}
