import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from './project-access';

/**
 * The project a study is opened in for labeling: the user reads in it and the study belongs to it;
 * null otherwise (the viewer then only views).
 */
export async function getLabelingContext(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, studyId: string): Promise<{ projectId: string; projectName: string } | null> {
  try {
    const access = await requireProjectAccess(user, projectId, 'reader');
    const item = await getDb().projectStudy.findUnique({ where: { projectId_studyId: { projectId: access.projectId, studyId } }, include: { project: { select: { name: true } } } });
    return item ? { projectId, projectName: item.project.name } : null;
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND') || isAppError(err, 'FORBIDDEN')) return null;
    throw err;
  }
}
