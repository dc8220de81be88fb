import { getDb } from '@/lib/db/client';

export type BurnedInClearanceView = { clearedAt: string; clearedBy: string; note: string };

/** Whether (and by whom) a study was cleared of burned-in text; null when it was not. */
export async function getBurnedInClearance(studyId: string): Promise<BurnedInClearanceView | null> {
  const row = await getDb().burnedInClearance.findUnique({ where: { studyId } });
  if (!row) return null;
  const by = await getDb().user.findUnique({ where: { id: row.clearedById }, select: { name: true } });
  return { clearedAt: row.createdAt.toISOString(), clearedBy: by?.name ?? 'a former admin', note: row.note };
}
