import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { requireProjectAccess } from '@/lib/projects/project-access';
import type { ReviewInput } from './schemas';

const REVIEWABLE = new Set(['submitted', 'in_review']);

/** A reviewer of the annotation's project who is not its reader (nobody reviews their own labels). */
async function requireReviewer(user: Pick<SessionUser, 'id' | 'roles'>, annotationId: string) {
  const annotation = await getDb().annotation.findUnique({ where: { id: annotationId } });
  if (!annotation) throw new AppError('NOT_FOUND', 'No such annotation.');
  await requireProjectAccess(user, annotation.projectId, 'reviewer');
  if (annotation.readerId === user.id) throw new AppError('FORBIDDEN', 'Labels are reviewed by someone other than their reader.');
  return annotation;
}

/** A reviewer takes a submitted label into review (others then see it is being looked at). */
export async function startReview({ user, annotationId }: { user: Pick<SessionUser, 'id' | 'roles'>; annotationId: string }): Promise<{ status: string }> {
  const annotation = await requireReviewer(user, annotationId);
  if (annotation.status === 'in_review') return { status: 'in_review' };
  const { count } = await getDb().annotation.updateMany({ where: { id: annotationId, status: 'submitted' }, data: { status: 'in_review' } });
  if (!count) throw new AppError('CONFLICT', `Only a submitted label can be reviewed; this one is ${annotation.status.replace('_', ' ')}.`);
  return { status: 'in_review' };
}

/**
 * Accepts a submitted label, or sends it back to its reader with what to change (a comment on the
 * study), with a ledger entry naming the reviewer's pseudonym, the decision and the version's hash.
 */
export async function reviewAnnotation({ user, annotationId, input }: { user: Pick<SessionUser, 'id' | 'roles'>; annotationId: string; input: ReviewInput }): Promise<{ status: string; version: number }> {
  const annotation = await requireReviewer(user, annotationId);
  const status = input.decision === 'accept' ? 'accepted' : 'changes_requested';
  return getDb().$transaction(async (tx) => {
    // Re-read in the transaction: the reader cannot change a submitted label, but another reviewer may decide first.
    const { count } = await tx.annotation.updateMany({ where: { id: annotationId, status: { in: [...REVIEWABLE] }, version: annotation.version }, data: { status } });
    if (!count) throw new AppError('CONFLICT', 'This label is no longer waiting for review.');
    const latest = await tx.annotationVersion.findFirstOrThrow({ where: { annotationId, version: annotation.version }, select: { contentHash: true } });
    if (input.comment) await tx.projectComment.create({ data: { projectId: annotation.projectId, studyId: annotation.studyId, authorId: user.id, body: input.comment } });
    const study = await tx.study.findUniqueOrThrow({ where: { id: annotation.studyId }, select: { studyInstanceUid: true } });
    await appendEntry(tx, {
      type: 'annotation.reviewed',
      actor: pseudonymOf(user.id),
      subjects: [annotationId, studyReference(study.studyInstanceUid)],
      payload: { project: annotation.projectId, decision: input.decision, version: annotation.version, contentHash: latest.contentHash, reader: pseudonymOf(annotation.readerId) },
    });
    return { status, version: annotation.version };
  });
}
