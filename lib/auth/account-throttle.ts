import { createHash } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';

/** Failed sign-ins allowed per account in a window, whatever addresses they come from. */
export const ACCOUNT_FAILURES = { max: 20, windowMs: 15 * 60 * 1000 };

export type ThrottleRule = { max: number; windowMs: number };
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/*
 * Per-account sign-in throttle (fixed windows, table sign_in_throttle). The per-address limit alone
 * can be dodged by forging X-Forwarded-For when Cohort is exposed without a proxy; this one cannot,
 * so guessing one person's password stays slow. Every attempt reserves a slot before the password is
 * checked (atomically: a burst of parallel guesses cannot all slip under the limit) and gives it back
 * when the password was right, so only failures count.
 */

export const accountThrottleKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

export async function reserveSignInAttempt(
  db: Db,
  email: string,
  { max, windowMs }: ThrottleRule = ACCOUNT_FAILURES,
  now = Date.now(),
): Promise<ThrottleDecision> {
  const key = accountThrottleKey(email);
  for (let attempt = 0; attempt < 8; attempt++) {
    // One statement: take a slot only if the window is current and not full.
    const took = await db.signInThrottle.updateMany({
      where: { key, windowStart: { gt: BigInt(now - windowMs) }, failures: { lt: max } },
      data: { failures: { increment: 1 } },
    });
    if (took.count === 1) return { allowed: true };
    const row = await db.signInThrottle.findUnique({ where: { key } });
    if (!row) {
      try {
        await db.signInThrottle.create({ data: { key, failures: 1, windowStart: BigInt(now) } });
        return { allowed: true };
      } catch (err) {
        if (isUniqueViolation(err)) continue;
        throw err;
      }
    }
    const windowStart = Number(row.windowStart);
    if (now - windowStart < windowMs) {
      if (row.failures >= max) return { allowed: false, retryAfterSeconds: Math.ceil((windowStart + windowMs - now) / 1000) };
      continue; // a slot freed up meanwhile
    }
    // The window is over: start a new one, unless a concurrent attempt already did.
    const restarted = await db.signInThrottle.updateMany({
      where: { key, windowStart: row.windowStart },
      data: { failures: 1, windowStart: BigInt(now) },
    });
    if (restarted.count === 1) return { allowed: true };
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

/** The attempt did not fail on the password: give its slot back. */
export async function releaseSignInAttempt(db: Db, email: string): Promise<void> {
  await db.signInThrottle.updateMany({
    where: { key: accountThrottleKey(email), failures: { gt: 0 } },
    data: { failures: { decrement: 1 } },
  });
}
