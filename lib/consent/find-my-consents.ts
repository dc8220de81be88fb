import { getDb } from '@/lib/db/client';
import { consentStatus, type ConsentStatus } from './consent-state';
import { CONSENT_PURPOSES, type ConsentPurpose } from './purposes';

export type MyConsents = {
  /** Per study and purpose: what holds now. */
  studies: Record<string, Record<ConsentPurpose, ConsentStatus>>;
  /** Per purpose: the newest decision about all the patient's studies, if any. */
  all: Record<ConsentPurpose, { decision: string; validUntil: string | null } | null>;
  /** Every decision, newest first. */
  history: { id: string; createdAt: string; purpose: ConsentPurpose; decision: string; studyId: string | null; validUntil: string | null; ledgerSeq: number; source: string }[];
};

/** A patient account's consents: the state of each of their studies for each purpose, and every decision made. */
export async function findMyConsents(userId: string, now = new Date()): Promise<MyConsents> {
  const db = getDb();
  const [studies, decisions] = await Promise.all([
    db.study.findMany({ where: { patient: { link: { userId } } }, select: { id: true, patientId: true } }),
    db.consentDecision.findMany({ where: { patient: { link: { userId } } }, orderBy: { ledgerSeq: 'desc' } }),
  ]);
  const of = (patientId: string, purpose: ConsentPurpose) => decisions.filter((d) => d.patientId === patientId && d.purpose === purpose);
  const perStudy = Object.fromEntries(
    studies.map((s) => [s.id, Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, consentStatus(of(s.patientId, p), s.id, p, now)])) as Record<ConsentPurpose, ConsentStatus>]),
  );
  const all = Object.fromEntries(
    CONSENT_PURPOSES.map((p) => {
      const newest = decisions.find((d) => d.purpose === p && d.studyId === null);
      return [p, newest ? { decision: newest.decision, validUntil: newest.validUntil?.toISOString() ?? null } : null];
    }),
  ) as MyConsents['all'];
  return {
    studies: perStudy,
    all,
    history: decisions.map((d) => ({
      id: d.id,
      createdAt: d.createdAt.toISOString(),
      purpose: d.purpose as ConsentPurpose,
      decision: d.decision,
      studyId: d.studyId,
      validUntil: d.validUntil?.toISOString() ?? null,
      ledgerSeq: d.ledgerSeq,
      source: d.source,
    })),
  };
}
