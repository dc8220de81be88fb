import type { Prisma } from '@/lib/db/client';
import { getDb } from '@/lib/db/client';
import { hasRole, type SessionUser } from '@/lib/auth/session-user';
import { AppError } from '@/lib/errors/app-error';

type AccessUser = Pick<SessionUser, 'id' | 'roles'>;

/**
 * The studies a user may open, as a Prisma filter: admins every study; radiologists the studies of
 * the projects they read or review in (PHI is shown on a need-to-read basis); anyone else none here
 * (patients see their own studies through the patient portal, never the worklist).
 */
export function visibleStudiesWhere(user: AccessUser): Prisma.StudyWhereInput {
  if (hasRole(user, 'admin')) return {};
  if (hasRole(user, 'radiologist')) {
    return { projects: { some: { project: { archivedAt: null, members: { some: { userId: user.id } } } } } };
  }
  return { id: { in: [] } };
}

/** NOT_FOUND unless the user may open the study (missing and forbidden look the same). */
export async function requireStudyAccess(user: AccessUser, study: { id: string } | { studyInstanceUid: string }): Promise<void> {
  if (hasRole(user, 'admin')) return;
  const found = await getDb().study.findFirst({ where: { AND: [study, visibleStudiesWhere(user)] }, select: { id: true } });
  if (!found) throw new AppError('NOT_FOUND', 'No such study.');
}

/**
 * The same rule for raw SQL over `study s`: a condition taking the user's id as its one parameter,
 * or null when the user sees every study.
 */
export function visibleStudiesSql(user: AccessUser): { sql: string; param: string } | null {
  if (hasRole(user, 'admin')) return null;
  return {
    sql: `s.id IN (SELECT ps.study_id FROM project_study ps JOIN project p ON p.id = ps.project_id
                   JOIN project_member pm ON pm.project_id = p.id WHERE pm.user_id = ? AND p.archived_at IS NULL)`,
    param: user.id,
  };
}
