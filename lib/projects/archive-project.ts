import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { managesProjects, requireProjectAccess } from './project-access';

/**
 * Archives a finished (or abandoned) project, or restores it. Nothing is deleted: an archived
 * project keeps its studies, labels and history, drops out of its members' lists, worklists and
 * viewer, and is read-only until restored. Archiving twice keeps the first date.
 */
export async function setProjectArchived({ user, projectId, archived }: { user: Pick<SessionUser, 'id' | 'roles'>; projectId: string; archived: boolean }): Promise<{ archivedAt: Date | null }> {
  await requireProjectAccess(user, projectId);
  if (!managesProjects(user)) throw new AppError('FORBIDDEN', 'Only admins and ML engineers archive or restore a project.');
  const db = getDb();
  if (archived) {
    await db.project.updateMany({ where: { id: projectId, archivedAt: null }, data: { archivedAt: new Date() } });
  } else {
    await db.project.update({ where: { id: projectId }, data: { archivedAt: null } });
  }
  return db.project.findUniqueOrThrow({ where: { id: projectId }, select: { archivedAt: true } });
}
