import { SESSION_USER_SELECT, toSessionUser, type SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { isTokenShaped, tokenHash } from './token-format';

/** How stale "last used" may get: a viewer fetching hundreds of frames must not write hundreds of times. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The token of an `Authorization: Bearer <token>` header, or null when the request sends none. */
export function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1] ?? null;
}

/**
 * The user a token acts as, or null when it is unknown, expired or revoked, or its user is
 * deactivated. The user's roles are read now, not when the token was made: a role taken away is
 * taken from their tokens too.
 */
export async function accessTokenUser(token: string): Promise<SessionUser | null> {
  if (!isTokenShaped(token)) return null;
  const db = getDb();
  const row = await db.accessToken.findUnique({
    where: { tokenHash: tokenHash(token) },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: SESSION_USER_SELECT },
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.deactivatedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.accessToken.updateMany({ where: { id: row.id, lastUsedAt: row.lastUsedAt }, data: { lastUsedAt: now } });
  }
  return toSessionUser(row.user, `token:${row.id}`);
}
