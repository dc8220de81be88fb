import { getDb } from '@/lib/db/client';
import type { SessionUser } from '@/lib/auth/session-user';
import { visibleProjectsWhere } from './project-access';
import type { ProjectRole } from './schemas';
import { storedSeriesRule, type SeriesRule } from './series-rule.client';

export type ProjectListRow = {
  id: string;
  name: string;
  purpose: string;
  modalities: string[];
  /** Which series of its studies are labeled. */
  seriesRule: SeriesRule;
  readersPerStudy: number;
  studies: number;
  /** Reader copies by status (in_progress, submitted, accepted, ...). */
  annotations: Record<string, number>;
  /** Studies with an accepted label. */
  accepted: number;
  readers: number;
  reviewers: number;
  myRoles: ProjectRole[];
  createdAt: Date;
  archivedAt: Date | null;
};

/** The projects a user may see, newest first, with their progress: the active ones, or the archived ones (managers). */
export async function findProjects(user: Pick<SessionUser, 'id' | 'roles'>, { archived = false } = {}): Promise<ProjectListRow[]> {
  const db = getDb();
  const visible = visibleProjectsWhere(user);
  const projects = await db.project.findMany({
    where: { AND: [visible, { archivedAt: archived ? { not: null } : null }] },
    orderBy: { createdAt: 'desc' },
    include: { _count: { select: { studies: true } }, members: { select: { userId: true, role: true } } },
  });
  const ids = projects.map((p) => p.id);
  const [byStatus, accepted] = await Promise.all([
    db.annotation.groupBy({ by: ['projectId', 'status'], where: { projectId: { in: ids } }, _count: { _all: true } }),
    db.annotation.findMany({ where: { projectId: { in: ids }, status: 'accepted' }, distinct: ['projectId', 'studyId'], select: { projectId: true } }),
  ]);
  return projects.map((p) => ({
    id: p.id,
    name: p.name,
    purpose: p.purpose,
    modalities: p.modalities ? p.modalities.split('\\') : [],
    seriesRule: storedSeriesRule(p),
    readersPerStudy: p.readersPerStudy,
    studies: p._count.studies,
    annotations: Object.fromEntries(byStatus.filter((r) => r.projectId === p.id).map((r) => [r.status, r._count._all])),
    accepted: accepted.filter((a) => a.projectId === p.id).length,
    readers: p.members.filter((m) => m.role === 'reader').length,
    reviewers: p.members.filter((m) => m.role === 'reviewer').length,
    myRoles: p.members.filter((m) => m.userId === user.id).map((m) => m.role as ProjectRole),
    createdAt: p.createdAt,
    archivedAt: p.archivedAt,
  }));
}
