import { getDb, type Tx } from '@/lib/db/client';
import { consentStatus, type ConsentStatus, type DecisionFact } from './consent-state';
import type { ConsentPurpose } from './purposes';

/** Ids per query: well under both databases' limits on bound parameters. */
const CHUNK = 5000;

/**
 * Whether each study may be used for `purpose` at `at` (now by default): the one check every other
 * domain makes (datasets at publication, project pages). Two queries per 5,000 studies, whatever
 * the selection's size: the studies' patients, then those patients' decisions on the purpose.
 * Studies that do not exist are not in the answer. Pass the caller's transaction (`db`) to decide on
 * exactly what it will commit against (publication does).
 */
export async function canUse(studyIds: readonly string[], purpose: ConsentPurpose, at: Date = new Date(), db: Tx = getDb()): Promise<Map<string, ConsentStatus>> {
  const statuses = await consentStatuses(studyIds, [purpose], at, db);
  return new Map([...statuses].map(([id, byPurpose]) => [id, byPurpose[purpose]!]));
}

/** canUse for several purposes at once, with the same two queries per 5,000 studies. */
export async function consentStatuses(
  studyIds: readonly string[],
  purposes: readonly ConsentPurpose[],
  at: Date = new Date(),
  db: Tx = getDb(),
): Promise<Map<string, Partial<Record<ConsentPurpose, ConsentStatus>>>> {
  const result = new Map<string, Partial<Record<ConsentPurpose, ConsentStatus>>>();
  for (let i = 0; i < studyIds.length; i += CHUNK) {
    const studies = await db.study.findMany({ where: { id: { in: studyIds.slice(i, i + CHUNK) as string[] } }, select: { id: true, patientId: true } });
    const patients = [...new Set(studies.map((s) => s.patientId))];
    const decisions = await db.consentDecision.findMany({
      where: { patientId: { in: patients }, purpose: { in: [...purposes] }, createdAt: { lte: at } },
      select: { id: true, patientId: true, purpose: true, studyId: true, decision: true, validUntil: true, createdAt: true, ledgerSeq: true },
    });
    const byPatientPurpose = new Map<string, DecisionFact[]>();
    for (const d of decisions) {
      const key = `${d.patientId}/${d.purpose}`;
      const list = byPatientPurpose.get(key);
      if (list) list.push(d);
      else byPatientPurpose.set(key, [d]);
    }
    for (const s of studies) {
      result.set(s.id, Object.fromEntries(purposes.map((p) => [p, consentStatus(byPatientPurpose.get(`${s.patientId}/${p}`) ?? [], s.id, p, at)])));
    }
  }
  return result;
}
