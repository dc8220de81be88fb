import { getDb } from '@/lib/db/client';
import { consentStatus, type ConsentStatus, type DecisionFact } from './consent-state';
import type { ConsentPurpose } from './purposes';

/** Ids per query: well under both databases' limits on bound parameters. */
const CHUNK = 5000;

/**
 * Whether each study may be used for `purpose` at `at` (now by default): the one check every other
 * domain makes (datasets at publication, project pages). Two queries per 5,000 studies, whatever
 * the selection's size: the studies' patients, then those patients' decisions on the purpose.
 * Studies that do not exist are not in the answer.
 */
export async function canUse(studyIds: readonly string[], purpose: ConsentPurpose, at: Date = new Date()): Promise<Map<string, ConsentStatus>> {
  const db = getDb();
  const result = new Map<string, ConsentStatus>();
  for (let i = 0; i < studyIds.length; i += CHUNK) {
    const studies = await db.study.findMany({ where: { id: { in: studyIds.slice(i, i + CHUNK) as string[] } }, select: { id: true, patientId: true } });
    const patients = [...new Set(studies.map((s) => s.patientId))];
    const decisions = await db.consentDecision.findMany({
      where: { patientId: { in: patients }, purpose, createdAt: { lte: at } },
      select: { id: true, patientId: true, studyId: true, decision: true, validUntil: true, createdAt: true, ledgerSeq: true },
    });
    const byPatient = new Map<string, DecisionFact[]>();
    for (const d of decisions) byPatient.set(d.patientId, [...(byPatient.get(d.patientId) ?? []), d]);
    for (const s of studies) result.set(s.id, consentStatus(byPatient.get(s.patientId) ?? [], s.id, purpose, at));
  }
  return result;
}
