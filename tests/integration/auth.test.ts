import { describe, expect, it } from 'vitest';
import * as me from '@/app/api/me/route';
import * as users from '@/app/api/admin/users/route';
import { getAuth } from '@/lib/auth/auth';
import { getDb } from '@/lib/db/client';
import { setUserActive } from '@/lib/users/set-user-active';
import { callRoute, ORIGIN, signIn, signInOrThrow } from '../helpers/api';
import { expireSessionsOf, makeUser } from '../helpers/users';

describe('signing in', () => {
  it('refuses a wrong password and an unknown user alike, without a session', async () => {
    const user = await makeUser(['radiologist']);
    const wrong = await signIn(user.email, 'not-the-password-at-all', { 'x-forwarded-for': '10.1.0.1' });
    const unknown = await signIn('nobody@test.local', 'whatever-password-1', { 'x-forwarded-for': '10.1.0.1' });
    for (const attempt of [wrong, unknown]) {
      expect(attempt.res.status).toBe(401);
      expect(attempt.session).toBeNull();
      expect(await attempt.res.json()).toMatchObject({ code: 'INVALID_EMAIL_OR_PASSWORD' });
    }
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('refuses a deactivated user even with the right password', async () => {
    const admin = await makeUser(['admin']);
    const user = await makeUser(['ml_engineer']);
    await setUserActive({ userId: user.id, active: false, actorId: admin.id });
    const { res, session } = await signIn(user.email, user.password, { 'x-forwarded-for': '10.1.0.2' });
    expect(res.status).toBe(403);
    expect(session).toBeNull();
    expect(await res.json()).toMatchObject({ code: 'ACCOUNT_DEACTIVATED', message: expect.stringMatching(/deactivated/) });
  });

  it('ends the sessions of a user who is deactivated while signed in', async () => {
    const admin = await makeUser(['admin']);
    const user = await makeUser(['radiologist']);
    const session = await signInOrThrow(user.email, user.password);
    expect((await callRoute(me, 'GET', '/api/me', { session })).status).toBe(200);
    await setUserActive({ userId: user.id, active: false, actorId: admin.id });
    expect((await callRoute(me, 'GET', '/api/me', { session })).status).toBe(401);
  });

  it('treats an expired session as signed out', async () => {
    const user = await makeUser(['radiologist']);
    const session = await signInOrThrow(user.email, user.password);
    await expireSessionsOf(user.id);
    const res = await callRoute(me, 'GET', '/api/me', { session });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
  });

  it('refuses sign-in posted from a foreign origin (CSRF)', async () => {
    const user = await makeUser(['radiologist']);
    const { res } = await signIn(user.email, user.password, { origin: 'https://evil.example', cookie: 'cohort.session_token=x' });
    expect(res.status).toBe(403);
  });

  it('sets an HTTP-only, SameSite session cookie and reports the roles', async () => {
    const user = await makeUser(['radiologist', 'ml_engineer']);
    const { res, session } = await signIn(user.email, user.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cohort.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const whoami = await callRoute(me, 'GET', '/api/me', { session });
    expect(whoami.json).toMatchObject({ email: user.email, roles: ['radiologist', 'ml_engineer'] });
  });

  it('signs out: the old cookie no longer works', async () => {
    const user = await makeUser(['patient']);
    const session = await signInOrThrow(user.email, user.password);
    const out = await getAuth().handler(
      new Request(`${ORIGIN}/api/auth/sign-out`, { method: 'POST', headers: { cookie: session.cookie, origin: ORIGIN } }),
    );
    expect(out.status).toBe(200);
    expect((await callRoute(me, 'GET', '/api/me', { session })).status).toBe(401);
  });
});

describe('temporary passwords', () => {
  it('lets a user on a temporary password do nothing but replace it, then everything their roles allow', async () => {
    const user = await makeUser(['admin'], { temporary: true });
    const session = await signInOrThrow(user.email, user.password);
    const blocked = await callRoute(users, 'GET', '/api/admin/users', { session });
    expect(blocked.status).toBe(403);
    expect(blocked.json).toMatchObject({ reason: 'PASSWORD_CHANGE_REQUIRED' });
    expect((await callRoute(me, 'GET', '/api/me', { session })).json).toMatchObject({ mustChangePassword: true });

    const changed = await getAuth().handler(
      new Request(`${ORIGIN}/api/auth/change-password`, {
        method: 'POST',
        headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword: user.password, newPassword: 'my-own-long-passphrase', revokeOtherSessions: true }),
      }),
    );
    expect(changed.status).toBe(200);
    const fresh = await signInOrThrow(user.email, 'my-own-long-passphrase');
    expect((await callRoute(users, 'GET', '/api/admin/users', { session: fresh })).status).toBe(200);
    expect((await signIn(user.email, user.password)).res.status).toBe(401);
  });

  it('keeps the flag when the change fails (wrong current password)', async () => {
    const user = await makeUser(['radiologist'], { temporary: true });
    const session = await signInOrThrow(user.email, user.password);
    const res = await getAuth().handler(
      new Request(`${ORIGIN}/api/auth/change-password`, {
        method: 'POST',
        headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword: 'wrong-current-password', newPassword: 'my-own-long-passphrase' }),
      }),
    );
    expect(res.status).toBe(400);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(true);
  });
});
