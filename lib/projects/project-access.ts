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
};

/** Admins and ML engineers manage every project; everyone else sees the projects they belong to. */
export function managesProjects(user: AccessUser): boolean {
  return hasRole(user, 'admin', 'ml_engineer');
}

/** The projects a user may see, as a Prisma filter. */
export function visibleProjectsWhere(user: AccessUser): Prisma.ProjectWhereInput {
  return managesProjects(user) ? {} : { members: { some: { userId: user.id } } };
}

/**
 * The user's access to a project; NOT_FOUND when it does not exist or is not theirs to see (the
 * same answer, so project ids cannot be probed). `need` narrows it further: FORBIDDEN otherwise.
 */
export async function requireProjectAccess(user: AccessUser, projectId: string, need?: 'manage' | ProjectRole): Promise<ProjectAccess> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, ...visibleProjectsWhere(user) },
    select: { id: true, members: { where: { userId: user.id }, select: { role: true } } },
  });
  if (!project) throw new AppError('NOT_FOUND', 'No such project.');
  const access: ProjectAccess = {
    projectId: project.id,
    canManage: managesProjects(user),
    roles: project.members.map((m) => m.role as ProjectRole),
  };
  if (need === 'manage' && !access.canManage) throw new AppError('FORBIDDEN', 'Only admins and ML engineers change a project.');
  if ((need === 'reader' || need === 'reviewer') && !access.roles.includes(need)) {
    throw new AppError('FORBIDDEN', `You are not a ${need} of this project.`);
  }
  return access;
}
