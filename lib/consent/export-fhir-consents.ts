import { getDb } from '@/lib/db/client';
import { toFhirConsent, type FhirConsent } from './fhir-consent';
import type { ConsentPurpose } from './purposes';

/**
 * Consent decisions as a FHIR R4 Bundle (type collection) of Consent resources, oldest first: a
 * patient account's own (`userId`), or every one (admins, for the hospital's systems).
 */
export async function exportFhirConsents({ userId }: { userId?: string } = {}): Promise<{ resourceType: 'Bundle'; type: 'collection'; timestamp: string; entry: { fullUrl: string; resource: FhirConsent }[] }> {
  const db = getDb();
  const decisions = await db.consentDecision.findMany({
    where: userId ? { patient: { link: { userId } } } : {},
    orderBy: { ledgerSeq: 'asc' },
    include: { patient: { select: { patientKey: true, issuer: true } } },
  });
  const studies = await db.study.findMany({ where: { id: { in: decisions.flatMap((d) => (d.studyId ? [d.studyId] : [])) } }, select: { id: true, studyInstanceUid: true } });
  const uidOf = new Map(studies.map((s) => [s.id, s.studyInstanceUid]));
  const now = new Date();
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: decisions.map((d) => ({
      fullUrl: `urn:uuid:${d.id}`,
      resource: toFhirConsent({ ...d, purpose: d.purpose as ConsentPurpose, study: d.studyId ? { studyInstanceUid: uidOf.get(d.studyId)! } : null, superseded: supersededBy(d, decisions) }, now),
    })),
  };
}

/** Whether a newer decision of the same patient on the same purpose covers `d`'s scope (all studies, or its study). */
function supersededBy(d: { patientId: string; purpose: string; studyId: string | null; ledgerSeq: number }, all: readonly { patientId: string; purpose: string; studyId: string | null; ledgerSeq: number }[]): boolean {
  return all.some((n) => n.ledgerSeq > d.ledgerSeq && n.patientId === d.patientId && n.purpose === d.purpose && (n.studyId === null || n.studyId === d.studyId));
}
