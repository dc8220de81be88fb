import type { Prisma } from '@/lib/db/client';
import { getDb } from '@/lib/db/client';
import { hasRole, type SessionUser } from '@/lib/auth/session-user';
import { AppError } from '@/lib/errors/app-error';
import type { ProjectRole } from './schemas';

type AccessUser = Pick<SessionUser, 'id' | 'roles'>;

/** What a user may do in one project. */
export type ProjectAccess = {
  projectId: string;
  /** Admins and ML engineers set projects up: schema, studies, members. */
  canManage: boolean;
  roles: ProjectRole[];
  /** Archived projects are read-only, and seen by their managers only. */
  archived: boolean;
};

/** Admins and ML engineers manage every project; everyone else sees the projects they belong to. */
export function managesProjects(user: AccessUser): boolean {
  return hasRole(user, 'admin', 'ml_engineer');
}

/** The projects a user may see, as a Prisma filter: members lose sight of an archived project. */
export function visibleProjectsWhere(user: AccessUser): Prisma.ProjectWhereInput {
  return managesProjects(user) ? {} : { archivedAt: null, members: { some: { userId: user.id } } };
}

export const ARCHIVED_MESSAGE = 'This project is archived and read-only: an ML engineer or admin can restore it on its page.';

/**
 * The user's access to a project; NOT_FOUND when it does not exist or is not theirs to see (the
 * same answer, so project ids cannot be probed). `need` narrows it further: FORBIDDEN otherwise,
 * and CONFLICT when the project is archived (nothing in it changes until it is restored).
 */
export async function requireProjectAccess(user: AccessUser, projectId: string, need?: 'manage' | ProjectRole): Promise<ProjectAccess> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, ...visibleProjectsWhere(user) },
    select: { id: true, archivedAt: true, members: { where: { userId: user.id }, select: { role: true } } },
  });
  if (!project) throw new AppError('NOT_FOUND', 'No such project.');
  const access: ProjectAccess = {
    projectId: project.id,
    canManage: managesProjects(user),
    roles: project.members.map((m) => m.role as ProjectRole),
    archived: project.archivedAt !== null,
  };
  if (need === 'manage' && !access.canManage) throw new AppError('FORBIDDEN', 'Only admins and ML engineers change a project.');
  if ((need === 'reader' || need === 'reviewer') && !access.roles.includes(need)) {
    throw new AppError('FORBIDDEN', `You are not a ${need} of this project.`);
  }
  if (need && access.archived) throw new AppError('CONFLICT', ARCHIVED_MESSAGE);
  return access;
}
