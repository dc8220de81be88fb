import { getDb } from '@/lib/db/client';
import { toRecipientKeyView, type RecipientKeyView } from './recipient-key-view';

/** A user's registered keys, newest first (removed ones too: grants made to them are still listed). */
export async function findRecipientKeys(userId: string): Promise<RecipientKeyView[]> {
  const rows = await getDb().recipientKey.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map(toRecipientKeyView);
}
