import { getDb } from '@/lib/db/client';

/** Readers' labels of each study, by status, across every project: what the worklist shows. */
export async function labelProgress(studyIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>(studyIds.map((id) => [id, {}]));
  const groups = await getDb().annotation.groupBy({ by: ['studyId', 'status'], where: { studyId: { in: [...studyIds] } }, _count: { _all: true } });
  for (const g of groups) out.get(g.studyId)![g.status] = g._count._all;
  return out;
}
