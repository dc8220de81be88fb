import type { Tx } from '@/lib/db/client';
import { consentStatus } from './consent-state';
import type { ConsentPurpose } from './purposes';

/** Whether the patient's study (or, with none, any of their studies) is allowed the purpose now: what a revocation needs. */
export async function anyGranted(tx: Tx, { patient, study }: { patient: { id: string }; study: { id: string } | null }, purpose: ConsentPurpose, now: Date): Promise<boolean> {
  const decisions = await tx.consentDecision.findMany({ where: { patientId: patient.id, purpose } });
  const studies = study ? [study.id] : (await tx.study.findMany({ where: { patientId: patient.id }, select: { id: true } })).map((s) => s.id);
  return studies.some((id) => consentStatus(decisions, id, purpose, now).state === 'granted');
}
