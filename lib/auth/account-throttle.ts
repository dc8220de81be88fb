import { createHash } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';

/** Sign-in attempts allowed per account in a window, whatever address they come from. */
export const ACCOUNT_ATTEMPTS = { max: 20, windowMs: 15 * 60 * 1000 };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt against one account (fixed windows, in the shared rate_limit table).
 * The per-address limit alone can be dodged by forging X-Forwarded-For when Cohort is exposed
 * without a proxy; this one cannot, so guessing one person's password stays slow.
 */
export async function consumeAccountAttempt(
  db: Db,
  email: string,
  { max, windowMs } = ACCOUNT_ATTEMPTS,
  now = Date.now(),
): Promise<ThrottleDecision> {
  const key = `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db.rateLimit.findUnique({ where: { key } });
    if (!row) {
      try {
        await db.rateLimit.create({ data: { key, count: 1, lastRequest: BigInt(now) } });
        return { allowed: true };
      } catch (err) {
        if (isUniqueViolation(err)) continue; // a concurrent attempt created it
        throw err;
      }
    }
    const windowStart = Number(row.lastRequest);
    if (now - windowStart >= windowMs) {
      const { count } = await db.rateLimit.updateMany({
        where: { key, lastRequest: row.lastRequest },
        data: { count: 1, lastRequest: BigInt(now) },
      });
      if (count === 1) return { allowed: true };
      continue;
    }
    if (row.count >= max) return { allowed: false, retryAfterSeconds: Math.ceil((windowStart + windowMs - now) / 1000) };
    // Compare-and-set on the count so concurrent attempts cannot both take the last slot.
    const { count } = await db.rateLimit.updateMany({
      where: { key, count: row.count, lastRequest: row.lastRequest },
      data: { count: { increment: 1 } },
    });
    if (count === 1) return { allowed: true };
  }
  return { allowed: false, retryAfterSeconds: 1 };
}
