import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { BurnedInClearanceInput } from './schemas';

/**
 * Records that an admin checked a study's images for burned-in text and found none (or withdraws
 * that): cleared studies may go into datasets although their modality or headers flag the risk.
 */
export async function setBurnedInClearance({ studyId, actorId, input }: { studyId: string; actorId: string; input: BurnedInClearanceInput }): Promise<{ cleared: boolean }> {
  const db = getDb();
  if (!(await db.study.findUnique({ where: { id: studyId }, select: { id: true } }))) throw new AppError('NOT_FOUND', 'No such study.');
  if (input.cleared) {
    await db.burnedInClearance.upsert({ where: { studyId }, create: { studyId, clearedById: actorId, note: input.note }, update: { clearedById: actorId, note: input.note, createdAt: new Date() } });
  } else {
    await db.burnedInClearance.deleteMany({ where: { studyId } });
  }
  return { cleared: input.cleared };
}
