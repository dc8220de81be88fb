import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from '@/lib/projects/project-access';

/** A job the user may see and stop: one of a project they manage. NOT_FOUND otherwise. */
export async function requireJobAccess(user: Pick<SessionUser, 'id' | 'roles'>, jobId: string): Promise<void> {
  const job = await getDb().job.findUnique({ where: { id: jobId }, select: { projectId: true } });
  if (!job?.projectId) throw new AppError('NOT_FOUND', 'No such job.');
  if (!(await requireProjectAccess(user, job.projectId)).canManage) throw new AppError('NOT_FOUND', 'No such job.');
}
