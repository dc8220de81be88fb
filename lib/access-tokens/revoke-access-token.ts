import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/** Revokes one of the user's own tokens; it stops working on the next request. Revoking twice is harmless. */
export async function revokeAccessToken(userId: string, tokenId: string): Promise<void> {
  const { count } = await getDb().accessToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0 && !(await getDb().accessToken.count({ where: { id: tokenId, userId } }))) {
    // Someone else's token is as absent as one that never existed.
    throw new AppError('NOT_FOUND', 'No such token.');
  }
}
