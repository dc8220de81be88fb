import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { CreateAccessTokenInput } from './schemas';
import { displayPrefix, newToken, tokenHash } from './token-format';
import { toAccessTokenView, type AccessTokenView } from './access-token-view';

/** Live tokens one user may hold: enough for every tool, few enough to review. */
export const MAX_TOKENS_PER_USER = 20;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Creates a token for `userId`. The token itself is returned only here: Cohort keeps its hash, so
 * it can be shown once and never again.
 */
export async function createAccessToken(userId: string, input: CreateAccessTokenInput): Promise<{ token: string; view: AccessTokenView }> {
  const token = newToken();
  const now = new Date();
  const row = await getDb().$transaction(async (tx) => {
    const live = await tx.accessToken.count({ where: { userId, revokedAt: null, expiresAt: { gt: now } } });
    if (live >= MAX_TOKENS_PER_USER) throw new AppError('CONFLICT', `You already have ${live} active tokens: revoke one you no longer use first.`);
    return tx.accessToken.create({
      data: { userId, name: input.name, tokenHash: tokenHash(token), prefix: displayPrefix(token), createdAt: now, expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS) },
    });
  });
  return { token, view: toAccessTokenView(row, now) };
}
