import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { requireProjectAccess } from './project-access';

export type ReaderQueue = { next: string | null; done: number; total: number };

/**
 * A reader's queue in a project: the next study to work on (their own unfinished copy first, then
 * the first study still short of readers that they have not read), and how far they are.
 */
export async function readerQueue(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string): Promise<ReaderQueue> {
  await requireProjectAccess(user, projectId, 'reader');
  const db = getDb();
  const [project, items, copies] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { readersPerStudy: true } }),
    db.projectStudy.findMany({ where: { projectId }, orderBy: [{ addedAt: 'asc' }, { studyId: 'asc' }], select: { studyId: true } }),
    db.annotation.findMany({ where: { projectId }, select: { studyId: true, readerId: true, status: true } }),
  ]);
  const mine = new Map(copies.filter((c) => c.readerId === user.id).map((c) => [c.studyId, c.status]));
  const readers = new Map<string, number>();
  for (const c of copies) readers.set(c.studyId, (readers.get(c.studyId) ?? 0) + 1);
  const unfinished = items.find((i) => ['in_progress', 'changes_requested'].includes(mine.get(i.studyId) ?? ''));
  const open = items.find((i) => !mine.has(i.studyId) && (readers.get(i.studyId) ?? 0) < project.readersPerStudy);
  const done = [...mine.values()].filter((s) => ['submitted', 'in_review', 'accepted'].includes(s)).length;
  // A reader's share: every study they read plus those still needing readers they could take.
  const total = mine.size + items.filter((i) => !mine.has(i.studyId) && (readers.get(i.studyId) ?? 0) < project.readersPerStudy).length;
  return { next: (unfinished ?? open)?.studyId ?? null, done, total };
}
