import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/**
 * Removes one of the user's own keys from sharing: no new grant can be made to it. Files already
 * wrapped to it stay readable by its identity (they cannot be taken back). Removing twice is harmless.
 */
export async function revokeRecipientKey(userId: string, keyId: string): Promise<void> {
  const { count } = await getDb().recipientKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0 && !(await getDb().recipientKey.count({ where: { id: keyId, userId } }))) {
    // Someone else's key is as absent as one that never existed.
    throw new AppError('NOT_FOUND', 'No such key.');
  }
}
