import { getDb } from '@/lib/db/client';
import { toShareLinkView, type ShareLinkView } from './share-link-view';

/** The patient's links, newest first (expired and withdrawn ones too: the patient sees what they made). */
export async function findMyShareLinks(userId: string): Promise<ShareLinkView[]> {
  const rows = await getDb().shareLink.findMany({ where: { createdById: userId }, orderBy: { createdAt: 'desc' }, take: 200 });
  const now = new Date();
  return rows.map((row) => toShareLinkView(row, now));
}
