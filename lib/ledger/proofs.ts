import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { buildProof, consistencyProofRanges, inclusionProofRanges, nodesForRanges } from './merkle';
import { ledgerSize, loadNodes } from './node-store';

export type InclusionProof = { seq: number; treeSize: number; leafHash: string; proof: string[] };
export type ConsistencyProof = { from: number; to: number; proof: string[] };

/** RFC 9162 inclusion proof of entry `seq` in the tree of `treeSize` entries (hashes base64). */
export async function getInclusionProof(seq: number, treeSize: number): Promise<InclusionProof> {
  if (!(treeSize >= 1)) throw await outOfRange('size');
  if (seq < 0 || seq >= treeSize) throw new AppError('BAD_REQUEST', `seq must be between 0 and ${treeSize - 1} for a tree of size ${treeSize}.`);
  const ranges = inclusionProofRanges(seq, treeSize);
  const leaf = { level: 0, index: seq };
  // One query for the leaf hash and every node the proof needs.
  const lookup = await loadNodes(getDb(), [leaf, ...nodesForRanges(ranges)]);
  return orBeyondLedger('size', treeSize, () => ({
    seq,
    treeSize,
    leafHash: Buffer.from(lookup(leaf)).toString('base64'),
    proof: buildProof(ranges, lookup).map((h) => h.toString('base64')),
  }));
}

/** RFC 9162 consistency proof between the trees of `from` and `to` entries (hashes base64). */
export async function getConsistencyProof(from: number, to: number): Promise<ConsistencyProof> {
  if (!(to >= 1)) throw await outOfRange('to');
  if (from < 1 || from > to) throw new AppError('BAD_REQUEST', `from must be between 1 and ${to}.`);
  const ranges = consistencyProofRanges(from, to);
  const lookup = await loadNodes(getDb(), nodesForRanges(ranges));
  return { from, to, proof: await orBeyondLedger('to', to, () => buildProof(ranges, lookup).map((h) => h.toString('base64'))) };
}

/**
 * Builds a proof, turning "a node was not there" into a 400 when the tree asked for is larger than the
 * ledger. Checked only then: a proof needs the entry at `size − 1`, so a size beyond the ledger always
 * misses a node, and the common case costs no extra query.
 */
async function orBeyondLedger<T>(name: string, size: number, build: () => T): Promise<T> {
  try {
    return build();
  } catch (err) {
    if (err instanceof RangeError && size > (await ledgerSize(getDb()))) throw await outOfRange(name);
    throw err;
  }
}

async function outOfRange(name: string): Promise<AppError> {
  return new AppError('BAD_REQUEST', `${name} must be between 1 and ${await ledgerSize(getDb())} (the ledger's size).`);
}
