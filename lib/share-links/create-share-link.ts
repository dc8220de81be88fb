import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf, studyReference } from '@/lib/ledger/pseudonym';
import { requireMyStudy } from '@/lib/patients/require-my-study';
import { ZCreateShareLinkInput, type CreateShareLinkInput } from './schemas';
import { toShareLinkView, type ShareLinkView } from './share-link-view';
import { newShareToken, shareTokenHash } from './share-token';

/** Live links per study: plenty for second opinions, few enough to keep track of. */
export const MAX_ACTIVE_LINKS_PER_STUDY = 10;
const DAY_MS = 24 * 3600 * 1000;

/**
 * A read-only link to one of the patient's own studies, and its `share_link.created` ledger entry
 * (the link's id, the study's keyed reference and the expiry: no label, no token). The token is
 * returned only here; Cohort keeps its hash.
 */
export async function createShareLink({ userId, input }: { userId: string; input: CreateShareLinkInput }): Promise<{ token: string; link: ShareLinkView }> {
  const { studyId, expiresInDays, label } = ZCreateShareLinkInput.parse(input);
  const study = await requireMyStudy({ userId, studyId, how: 'view', select: { id: true, studyInstanceUid: true } });
  const token = newShareToken();
  const now = new Date();
  const row = await getDb().$transaction(async (tx) => {
    const active = await tx.shareLink.count({ where: { studyId: study.id, revokedAt: null, expiresAt: { gt: now } } });
    if (active >= MAX_ACTIVE_LINKS_PER_STUDY) {
      throw new AppError('CONFLICT', `This study already has ${MAX_ACTIVE_LINKS_PER_STUDY} working links: withdraw one you no longer need first.`);
    }
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
    await appendEntry(tx, {
      type: 'share_link.created',
      actor: pseudonymOf(userId),
      subjects: [id, studyReference(study.studyInstanceUid)],
      payload: { expiresAt: expiresAt.toISOString() },
    });
    return tx.shareLink.create({ data: { id, studyId: study.id, createdById: userId, tokenHash: shareTokenHash(token), label, createdAt: now, expiresAt } });
  });
  return { token, link: toShareLinkView(row, now) };
}
