import { env } from '@/lib/config/env';
import type { ConsentPurpose } from './purposes';

/** A decision as the evaluation needs it. */
export type DecisionFact = { studyId: string | null; decision: string; validUntil: Date | null; createdAt: Date; ledgerSeq: number; id: string };

export type ConsentState = 'granted' | 'denied' | 'revoked' | 'expired' | 'none';

/** Whether a study may be used for a purpose at a moment, why, and the decision that says so. */
export type ConsentStatus = { usable: boolean; state: ConsentState; decisionId: string | null; ledgerSeq: number | null; validUntil: string | null };

/**
 * The consent a study has for a purpose at `at`, from its patient's decisions on that purpose in
 * ledger order: the newest one made by then that is about this study or about all the patient's
 * studies decides (so "all my studies" after a per-study choice overrides it, and a per-study choice
 * after "all" is the exception). A grant past its end is expired. With no decision, the purpose's
 * installation default holds: usable when it is opt-out (COHORT_CONSENT_OPT_OUT), not otherwise.
 */
export function consentStatus(decisions: readonly DecisionFact[], studyId: string, purpose: ConsentPurpose, at: Date): ConsentStatus {
  let newest: DecisionFact | null = null;
  for (const d of decisions) {
    if ((d.studyId === null || d.studyId === studyId) && d.createdAt <= at && (!newest || d.ledgerSeq > newest.ledgerSeq)) newest = d;
  }
  if (!newest) return { usable: env.COHORT_CONSENT_OPT_OUT.includes(purpose), state: 'none', decisionId: null, ledgerSeq: null, validUntil: null };
  const expired = newest.decision === 'granted' && newest.validUntil !== null && newest.validUntil <= at;
  const state: ConsentState = expired ? 'expired' : (newest.decision as ConsentState);
  return { usable: state === 'granted', state, decisionId: newest.id, ledgerSeq: newest.ledgerSeq, validUntil: newest.validUntil?.toISOString() ?? null };
}
