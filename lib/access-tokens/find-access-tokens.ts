import { getDb } from '@/lib/db/client';
import { toAccessTokenView, type AccessTokenView } from './access-token-view';

/** A user's tokens, newest first (revoked and expired ones too, for a while: they explain a 401). */
export async function findAccessTokens(userId: string): Promise<AccessTokenView[]> {
  const rows = await getDb().accessToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 100 });
  const now = new Date();
  return rows.map((row) => toAccessTokenView(row, now));
}
