import { describe, expect, it } from 'vitest';
import { accountThrottleKey, releaseSignInAttempt, reserveSignInAttempt } from '@/lib/auth/account-throttle';
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

  it('does not pool clients with unverifiable forwarded chains into one bucket anyone could exhaust', async () => {
    const { max } = env.COHORT_SIGNIN_RATE_LIMIT;
    for (let i = 0; i < max + 3; i++) {
      const { res } = await signIn(`stranger${i}@test.local`, 'wrong-password-guess', { 'x-forwarded-for': `192.0.2.9, 198.51.100.${i}` });
      expect(res.status).toBe(401);
    }
    const user = await makeUser(['patient']);
    expect((await signIn(user.email, user.password, { 'x-forwarded-for': '192.0.2.10, 198.51.100.77' })).res.status).toBe(200);
  });

  it('does not count successful sign-ins against the account', async () => {
    const user = await makeUser(['radiologist']);
    for (let i = 0; i < 24; i++) {
      expect((await signIn(user.email, user.password, { 'x-forwarded-for': `198.18.0.${i + 1}` })).res.status).toBe(200);
    }
  });

  it('lets exactly `max` of a burst of parallel attempts through, and opens a new window after it ends', async () => {
    const db = getDb();
    const rule = { max: 5, windowMs: 60_000 };
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => reserveSignInAttempt(db, 'race@test.local', rule, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.find((d) => !d.allowed)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect((await db.signInThrottle.findUniqueOrThrow({ where: { key: accountThrottleKey('RACE@test.local ') } })).failures).toBe(5);
    // A released slot (a correct password) can be taken again; then the window is full.
    await releaseSignInAttempt(db, 'race@test.local');
    expect((await reserveSignInAttempt(db, 'race@test.local', rule, now + 1000)).allowed).toBe(true);
    expect((await reserveSignInAttempt(db, 'race@test.local', rule, now + 1000)).allowed).toBe(false);
    expect((await reserveSignInAttempt(db, 'race@test.local', rule, now + 61_000)).allowed).toBe(true);
    expect((await db.signInThrottle.findUniqueOrThrow({ where: { key: accountThrottleKey('race@test.local') } })).failures).toBe(1);
  });

  it('keeps counting across Better Auth\'s own rate-limit pruning (a separate table)', async () => {
    const user = await makeUser(['radiologist']);
    for (let i = 0; i < 3; i++) await signIn(user.email, `wrong-guess-${i}-xx`, { 'x-forwarded-for': `198.19.0.${i + 1}` });
    await getDb().rateLimit.deleteMany(); // what Better Auth does to rows older than its windows
    expect((await getDb().signInThrottle.findUniqueOrThrow({ where: { key: accountThrottleKey(user.email) } })).failures).toBe(3);
  });
});
