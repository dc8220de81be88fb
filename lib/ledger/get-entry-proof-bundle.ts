import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { createCheckpoint } from './create-checkpoint';
import type { EntryProofBundle } from './entry-proof-bundle';
import { getLogKey } from './log-key';
import { getInclusionProof } from './proofs';

/** Everything needed to prove entry `seq` offline, against the newest checkpoint (signed now if none covers it). */
export async function getEntryProofBundle(seq: number): Promise<EntryProofBundle> {
  const entry = await getDb().ledgerEntry.findUnique({ where: { seq }, select: { seq: true, canonical: true } });
  if (!entry) throw new AppError('NOT_FOUND', `There is no ledger entry ${seq}.`);
  const latest = await getDb().ledgerCheckpoint.findFirst({ orderBy: { treeSize: 'desc' } });
  const checkpoint = latest && latest.treeSize > seq ? { treeSize: latest.treeSize, note: latest.note } : await createCheckpoint();
  const { proof } = await getInclusionProof(seq, checkpoint.treeSize);
  return {
    format: 'cohort-ledger-proof/v1',
    entry: { seq: entry.seq, canonical: entry.canonical },
    inclusion: { treeSize: checkpoint.treeSize, proof },
    checkpoint: checkpoint.note,
    verifierKey: getLogKey().verifierKey,
  };
}
