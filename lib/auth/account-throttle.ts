import { createHash } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';

/** Failed sign-ins allowed per account in a window, whatever addresses they come from. */
export const ACCOUNT_FAILURES = { max: 20, windowMs: 15 * 60 * 1000 };

export type ThrottleRule = { max: number; windowMs: number };
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/*
 * Per-account sign-in throttle, in the shared rate_limit table (fixed windows). The per-address limit
 * alone can be dodged by forging X-Forwarded-For when Cohort is exposed without a proxy; this one
 * cannot, so guessing one person's password stays slow. Only failures count: signing in often is fine.
 */

export const accountThrottleKey = (email: string) => `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;

export async function checkAccountThrottle(
  db: Db,
  email: string,
  { max, windowMs }: ThrottleRule = ACCOUNT_FAILURES,
  now = Date.now(),
): Promise<ThrottleDecision> {
  const row = await db.rateLimit.findUnique({ where: { key: accountThrottleKey(email) } });
  if (!row) return { allowed: true };
  const windowStart = Number(row.lastRequest);
  if (now - windowStart >= windowMs || row.count < max) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.ceil((windowStart + windowMs - now) / 1000) };
}

export async function recordFailedSignIn(
  db: Db,
  email: string,
  { windowMs }: ThrottleRule = ACCOUNT_FAILURES,
  now = Date.now(),
): Promise<void> {
  const key = accountThrottleKey(email);
  for (let attempt = 0; attempt < 5; attempt++) {
    // Inside the current window: one atomic `count = count + 1`, so concurrent failures all count.
    const bumped = await db.rateLimit.updateMany({
      where: { key, lastRequest: { gt: BigInt(now - windowMs) } },
      data: { count: { increment: 1 } },
    });
    if (bumped.count === 1) return;
    // No row yet, or its window is over: start a window (compare-and-set on the old start).
    const row = await db.rateLimit.findUnique({ where: { key } });
    try {
      if (!row) {
        await db.rateLimit.create({ data: { key, count: 1, lastRequest: BigInt(now) } });
        return;
      }
    } catch (err) {
      if (isUniqueViolation(err)) continue;
      throw err;
    }
    const restarted = await db.rateLimit.updateMany({
      where: { key, lastRequest: row.lastRequest },
      data: { count: 1, lastRequest: BigInt(now) },
    });
    if (restarted.count === 1) return;
  }
}
