import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { ARCHIVED_MESSAGE, requireProjectAccess } from './project-access';

export type CommentView = { id: string; author: string; body: string; createdAt: string };

async function requireStudyInProject(projectId: string, studyId: string) {
  const item = await getDb().projectStudy.findUnique({ where: { projectId_studyId: { projectId, studyId } } });
  if (!item) throw new AppError('NOT_FOUND', 'The study is not in this project.');
}

/** A study's comments in a project, oldest first, for its members and managers. */
export async function findComments(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, studyId: string): Promise<CommentView[]> {
  await requireProjectAccess(user, projectId);
  await requireStudyInProject(projectId, studyId);
  const rows = await getDb().projectComment.findMany({ where: { projectId, studyId }, orderBy: { createdAt: 'asc' } });
  const authors = new Map((await getDb().user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((r) => ({ id: r.id, author: authors.get(r.authorId) ?? 'Former user', body: r.body, createdAt: r.createdAt.toISOString() }));
}

/** Adds a comment; readers and reviewers of the project only (managers read along). */
export async function addComment({ user, projectId, studyId, body }: { user: Pick<SessionUser, 'id' | 'roles'>; projectId: string; studyId: string; body: string }): Promise<CommentView> {
  const access = await requireProjectAccess(user, projectId);
  if (!access.roles.length) throw new AppError('FORBIDDEN', 'Only readers and reviewers of the project comment on its studies.');
  if (access.archived) throw new AppError('CONFLICT', ARCHIVED_MESSAGE);
  await requireStudyInProject(projectId, studyId);
  const row = await getDb().projectComment.create({ data: { projectId, studyId, authorId: user.id, body } });
  const author = await getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } });
  return { id: row.id, author: author.name, body: row.body, createdAt: row.createdAt.toISOString() };
}
