import { getDb } from '@/lib/db/client';
import type { SessionUser } from '@/lib/auth/session-user';
import { AppError } from '@/lib/errors/app-error';
import { ARCHIVED_MESSAGE, managesProjects } from '@/lib/projects/project-access';

type AccessUser = Pick<SessionUser, 'id' | 'roles'>;

/**
 * An annotation the user may `read` (its reader, the project's reviewers, project managers) or
 * `edit` (its reader alone: every reader labels their own copy). NOT_FOUND when they may not see
 * it at all, FORBIDDEN when they may see but not edit, CONFLICT when its project is archived.
 */
export async function requireAnnotationAccess(user: AccessUser, annotationId: string, need: 'read' | 'edit') {
  const annotation = await getDb().annotation.findUnique({
    where: { id: annotationId },
    include: { project: { select: { id: true, readersPerStudy: true, archivedAt: true, members: { where: { userId: user.id }, select: { role: true } } } } },
  });
  const roles = annotation?.project.members.map((m) => m.role) ?? [];
  const own = annotation?.readerId === user.id;
  if (!annotation || !(own || roles.includes('reviewer') || managesProjects(user))) throw new AppError('NOT_FOUND', 'No such annotation.');
  if (need === 'edit' && !(own && roles.includes('reader'))) throw new AppError('FORBIDDEN', 'Only its reader edits an annotation.');
  if (need === 'edit' && annotation.project.archivedAt) throw new AppError('CONFLICT', ARCHIVED_MESSAGE);
  return annotation;
}
