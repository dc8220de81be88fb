import type { SessionUser } from '@/lib/auth/session-user';
import { hasRole } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from '@/lib/projects/project-access';

/**
 * A job the user may see and stop: one of a project they manage, or a dataset publication (ML
 * engineers and admins manage every dataset). NOT_FOUND otherwise.
 */
export async function requireJobAccess(user: Pick<SessionUser, 'id' | 'roles'>, jobId: string): Promise<void> {
  const job = await getDb().job.findUnique({ where: { id: jobId }, select: { projectId: true, kind: true } });
  if (job?.kind === 'publish' && hasRole(user, 'ml_engineer', 'admin')) return;
  if (!job?.projectId) throw new AppError('NOT_FOUND', 'No such job.');
  if (!(await requireProjectAccess(user, job.projectId)).canManage) throw new AppError('NOT_FOUND', 'No such job.');
}
