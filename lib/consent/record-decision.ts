import { randomUUID } from 'node:crypto';
import type { Tx } from '@/lib/db/client';
import { appendEntry } from '@/lib/ledger/append-entry';
import { patientReference, pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { CONSENT_POLICY, type ConsentDecisionKind, type ConsentPurpose } from './purposes';

export type RecordedDecision = { id: string; patientId: string; studyId: string | null; purpose: string; decision: string; validUntil: string | null; ledgerSeq: number; createdAt: string };

/**
 * Writes one consent decision and its ledger entry in the caller's transaction (`consent.granted`,
 * `consent.denied`, `consent.revoked`: who as a pseudonym, which patient and study as keyed hashes,
 * purpose, scope and policy version; no PHI). The entry's sequence number orders the decisions.
 */
export async function recordDecision(
  tx: Tx,
  {
    userId,
    patient,
    study,
    purpose,
    decision,
    validUntil = null,
    source = 'patient',
    evidenceSha256 = null,
    signedAt = null,
  }: {
    userId: string;
    patient: { id: string; patientKey: string; issuer: string };
    study: { id: string; studyInstanceUid: string } | null;
    purpose: ConsentPurpose;
    decision: ConsentDecisionKind;
    validUntil?: Date | null;
    /** `patient` (in the portal), `paper_form` (an admin recording a signed form) or `fhir_import` (an admin importing the hospital's records). */
    source?: 'patient' | 'paper_form' | 'fhir_import';
    /** The scan of a paper form, in the blob store. */
    evidenceSha256?: string | null;
    /** When the patient decided, if before it is recorded here (an imported resource's dateTime). */
    signedAt?: Date | null;
  },
): Promise<RecordedDecision> {
  const id = randomUUID();
  const entry = await appendEntry(tx, {
    type: `consent.${decision}`,
    actor: pseudonymOf(userId),
    subjects: [id, patientReference(patient.patientKey, patient.issuer), study ? studyReference(study.studyInstanceUid) : 'all_studies'],
    payload: { purpose, scope: study ? 'study' : 'patient', policyVersion: CONSENT_POLICY.version, source, validUntil: validUntil?.toISOString() ?? null, ...(evidenceSha256 ? { evidenceSha256 } : {}), ...(signedAt ? { signedAt: signedAt.toISOString() } : {}) },
  });
  const row = await tx.consentDecision.create({
    data: {
      id,
      patientId: patient.id,
      studyId: study?.id ?? null,
      purpose,
      decision,
      validUntil,
      decidedById: userId,
      source,
      evidenceSha256,
      signedAt,
      policyVersion: CONSENT_POLICY.version,
      ledgerSeq: entry.seq,
      createdAt: entry.recordedAt,
    },
  });
  return { ...row, validUntil: row.validUntil?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}
