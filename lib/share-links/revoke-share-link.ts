import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { toShareLinkView, type ShareLinkView } from './share-link-view';

/** Withdraws one of the patient's links at once (its next request is refused), with its ledger entry. Idempotent. */
export async function revokeShareLink({ userId, linkId }: { userId: string; linkId: string }): Promise<ShareLinkView> {
  return getDb().$transaction(async (tx) => {
    const link = await tx.shareLink.findFirst({ where: { id: linkId, createdById: userId }, include: { study: { select: { studyInstanceUid: true } } } });
    if (!link) throw new AppError('NOT_FOUND', 'No such link among yours.');
    if (link.revokedAt) return toShareLinkView(link);
    const revokedAt = new Date();
    await appendEntry(tx, { type: 'share_link.revoked', actor: pseudonymOf(userId), subjects: [link.id, studyReference(link.study.studyInstanceUid)] });
    return toShareLinkView(await tx.shareLink.update({ where: { id: link.id }, data: { revokedAt } }), revokedAt);
  });
}
