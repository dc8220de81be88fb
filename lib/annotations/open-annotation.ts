import type { SessionUser } from '@/lib/auth/session-user';
import { env } from '@/lib/config/env';
import { getDb, type Tx } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from '@/lib/projects/project-access';

/**
 * The reader's own copy of a study's label in a project, created on first open (status in progress).
 * A study takes `readersPerStudy` independent readers; a further one is told it is fully assigned.
 */
export async function openAnnotation({ user, projectId, studyId }: { user: Pick<SessionUser, 'id' | 'roles'>; projectId: string; studyId: string }): Promise<{ id: string; created: boolean }> {
  await requireProjectAccess(user, projectId, 'reader');
  const db = getDb();
  const mine = await db.annotation.findUnique({ where: { projectId_studyId_readerId: { projectId, studyId, readerId: user.id } }, select: { id: true } });
  if (mine) return { id: mine.id, created: false };
  try {
    return await db.$transaction(async (tx) => {
      await lockProjectStudy(tx, projectId, studyId);
      const item = await tx.projectStudy.findUnique({ where: { projectId_studyId: { projectId, studyId } }, include: { project: { select: { readersPerStudy: true } } } });
      if (!item) throw new AppError('NOT_FOUND', 'The study is not in this project.');
      const readers = await tx.annotation.count({ where: { projectId, studyId } });
      if (readers >= item.project.readersPerStudy) {
        throw new AppError('CONFLICT', `This study already has its ${item.project.readersPerStudy} ${item.project.readersPerStudy === 1 ? 'reader' : 'readers'}: take the next one.`);
      }
      const row = await tx.annotation.create({ data: { projectId, studyId, readerId: user.id }, select: { id: true } });
      return { id: row.id, created: true };
    });
  } catch (err) {
    // Two tabs opening at once: the other one created it.
    if (isUniqueViolation(err)) {
      const row = await db.annotation.findUniqueOrThrow({ where: { projectId_studyId_readerId: { projectId, studyId, readerId: user.id } }, select: { id: true } });
      return { id: row.id, created: false };
    }
    throw err;
  }
}

/**
 * PostgreSQL runs transactions side by side: without a lock two readers opening the last free copy
 * at once would both count one reader and both be let in. Locking the study's row in the project
 * makes the second wait for the first and count it. SQLite runs one write transaction at a time.
 */
async function lockProjectStudy(tx: Tx, projectId: string, studyId: string): Promise<void> {
  if (env.databaseProvider !== 'postgresql') return;
  await tx.$queryRaw`SELECT 1 AS locked FROM project_study WHERE project_id = ${projectId} AND study_id = ${studyId} FOR UPDATE`;
}
