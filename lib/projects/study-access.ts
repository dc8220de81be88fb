import type { Prisma } from '@/lib/db/client';
import { getDb } from '@/lib/db/client';
import { hasRole, type SessionUser } from '@/lib/auth/session-user';
import { AppError } from '@/lib/errors/app-error';

type AccessUser = Pick<SessionUser, 'id' | 'roles'>;

/**
 * The studies a user may open, as a Prisma filter: admins every study; radiologists the studies of
 * the projects they read or review in (PHI is shown on a need-to-read basis); patients their own
 * (read-only, in the viewer); anyone else none.
 */
export function visibleStudiesWhere(user: AccessUser): Prisma.StudyWhereInput {
  if (hasRole(user, 'admin')) return {};
  const allowed: Prisma.StudyWhereInput[] = [];
  if (hasRole(user, 'radiologist')) {
    allowed.push({ projects: { some: { project: { archivedAt: null, members: { some: { userId: user.id } } } } } });
  }
  if (hasRole(user, 'patient')) allowed.push({ patient: { link: { userId: user.id } } });
  return allowed.length ? { OR: allowed } : { id: { in: [] } };
}

/** NOT_FOUND unless the user may open the study (missing and forbidden look the same). */
export async function requireStudyAccess(user: AccessUser, study: { id: string } | { studyInstanceUid: string }): Promise<void> {
  if (hasRole(user, 'admin')) return;
  const found = await getDb().study.findFirst({ where: { AND: [study, visibleStudiesWhere(user)] }, select: { id: true } });
  if (!found) throw new AppError('NOT_FOUND', 'No such study.');
}

/**
 * The same rule for raw SQL over `study s`: a condition with its parameters (the user's id, once per
 * clause), or null when the user sees every study.
 */
export function visibleStudiesSql(user: AccessUser): { sql: string; params: string[] } | null {
  if (hasRole(user, 'admin')) return null;
  const clauses: string[] = [];
  if (hasRole(user, 'radiologist')) {
    clauses.push(`s.id IN (SELECT ps.study_id FROM project_study ps JOIN project p ON p.id = ps.project_id
                   JOIN project_member pm ON pm.project_id = p.id WHERE pm.user_id = ? AND p.archived_at IS NULL)`);
  }
  if (hasRole(user, 'patient')) clauses.push('s.patient_id IN (SELECT pl.patient_id FROM patient_link pl WHERE pl.user_id = ?)');
  return clauses.length ? { sql: `(${clauses.join(' OR ')})`, params: clauses.map(() => user.id) } : { sql: '1 = 0', params: [] };
}
