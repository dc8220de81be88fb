import { recordAccess } from '@/lib/access-log/record-access';
import type { AccessHow } from '@/lib/access-log/access-event';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { INVALID_SHARE_LINK } from './invalid-share-link.client';
import { takeShareRequest } from './share-rate-limit';
import { isShareTokenShaped, shareTokenHash } from './share-token';

/** How stale "last used" may get: a viewer's hundreds of requests must not each write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type OpenedShareLink = { linkId: string; studyId: string; studyInstanceUid: string; expiresAt: Date };

/**
 * The study a share token opens, for one request: NOT_FOUND for a malformed, unknown, expired or
 * withdrawn token, or a request for another study (the same answer: nothing about whether a study exists), 429 past the link's
 * limits. Each use goes to the access log as the link's, `how` the request's.
 */
export async function openShareLink({
  token,
  address,
  how,
  studyInstanceUid,
  seriesInstanceUid = null,
}: {
  token: string;
  address: string;
  how: AccessHow;
  /** The study the request names, if it names one: only the link's own opens. */
  studyInstanceUid?: string;
  seriesInstanceUid?: string | null;
}): Promise<OpenedShareLink> {
  if (!isShareTokenShaped(token)) throw new AppError('NOT_FOUND', INVALID_SHARE_LINK);
  const db = getDb();
  const link = await db.shareLink.findUnique({ where: { tokenHash: shareTokenHash(token) }, include: { study: { select: { studyInstanceUid: true } } } });
  if (!link) throw new AppError('NOT_FOUND', INVALID_SHARE_LINK);
  const access = { study: { id: link.studyId }, seriesInstanceUid, by: { kind: 'share_link', shareLinkId: link.id }, how, address } as const;
  const now = new Date();
  const otherStudy = studyInstanceUid !== undefined && studyInstanceUid !== link.study.studyInstanceUid;
  if (link.revokedAt || link.expiresAt <= now || otherStudy) {
    recordAccess({ ...access, outcome: 'denied' });
    throw new AppError('NOT_FOUND', INVALID_SHARE_LINK);
  }
  if (!takeShareRequest(link.id, address, now.getTime())) {
    recordAccess({ ...access, outcome: 'denied' });
    throw new AppError('TOO_MANY_REQUESTS', 'This link is being opened too often or from too many places at once. Wait a few minutes and try again.');
  }
  recordAccess(access);
  if (!link.lastUsedAt || now.getTime() - link.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.shareLink.updateMany({ where: { id: link.id, lastUsedAt: link.lastUsedAt }, data: { lastUsedAt: now } });
  }
  return { linkId: link.id, studyId: link.studyId, studyInstanceUid: link.study.studyInstanceUid, expiresAt: link.expiresAt };
}
