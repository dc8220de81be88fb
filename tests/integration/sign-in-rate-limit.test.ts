import { describe, expect, it } from 'vitest';
import { accountThrottleKey, checkAccountThrottle, recordFailedSignIn } from '@/lib/auth/account-throttle';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { signIn } from '../helpers/api';
import { makeUser } from '../helpers/users';

describe('sign-in rate limits', () => {
  it('answers 429 with Retry-After once one address has used its attempts', async () => {
    const user = await makeUser(['radiologist']);
    const { max } = env.COHORT_SIGNIN_RATE_LIMIT;
    const statuses: number[] = [];
    for (let i = 0; i < max + 2; i++) {
      statuses.push((await signIn(user.email, 'wrong-password-guess', { 'x-forwarded-for': '203.0.113.7' })).res.status);
    }
    expect(statuses.slice(0, max).every((s) => s === 401)).toBe(true);
    const { res } = await signIn(user.email, user.password, { 'x-forwarded-for': '203.0.113.7' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('X-Retry-After'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await signIn(user.email, user.password, { 'x-forwarded-for': '203.0.113.8' })).res.status).toBe(200);
  });

  it('limits failed guesses at one account even when every attempt claims a different address', async () => {
    const user = await makeUser(['admin']);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await signIn(user.email, `guess-number-${i}-x`, { 'x-forwarded-for': `198.51.100.${i + 1}` })).res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const locked = await signIn(user.email, user.password, { 'x-forwarded-for': '198.51.100.200' });
    expect(locked.res.status).toBe(429);
    expect(await locked.res.json()).toMatchObject({ code: 'ACCOUNT_THROTTLED' });
  });

  it('does not count successful sign-ins against the account', async () => {
    const user = await makeUser(['radiologist']);
    for (let i = 0; i < 24; i++) {
      expect((await signIn(user.email, user.password, { 'x-forwarded-for': `198.18.0.${i + 1}` })).res.status).toBe(200);
    }
  });

  it('counts concurrent failures exactly (no lost updates) and opens a new window after it ends', async () => {
    const db = getDb();
    const rule = { max: 5, windowMs: 60_000 };
    const now = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => recordFailedSignIn(db, 'race@test.local', rule, now)));
    const row = await db.rateLimit.findUniqueOrThrow({ where: { key: accountThrottleKey('race@test.local') } });
    expect(row.count).toBe(12);
    expect(await checkAccountThrottle(db, 'RACE@test.local ', rule, now + 1000)).toEqual({ allowed: false, retryAfterSeconds: 59 });
    expect((await checkAccountThrottle(db, 'race@test.local', rule, now + 61_000)).allowed).toBe(true);
    await recordFailedSignIn(db, 'race@test.local', rule, now + 61_000);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { id: row.id } })).count).toBe(1);
  });
});
