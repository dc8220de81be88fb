import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { EntryProofBundle } from '@/lib/ledger/entry-proof-bundle';
import { getEntryProofBundle } from '@/lib/ledger/get-entry-proof-bundle';

/**
 * A patient's receipt for one of their consent decisions: its ledger entry with an inclusion proof
 * against a signed checkpoint and the log's key, which `cohort ledger verify --bundle` (or anyone's
 * RFC 6962 verifier) checks offline. Someone else's decision is NOT_FOUND.
 */
export async function getConsentReceipt({ userId, decisionId }: { userId: string; decisionId: string }): Promise<EntryProofBundle> {
  const decision = await getDb().consentDecision.findFirst({ where: { id: decisionId, patient: { link: { userId } } }, select: { ledgerSeq: true } });
  if (!decision) throw new AppError('NOT_FOUND', 'No such decision of yours.');
  return getEntryProofBundle(decision.ledgerSeq);
}
