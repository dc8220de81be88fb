import { describe, expect, it } from 'vitest';
import * as usersRoute from '@/app/api/admin/users/route';
import * as userRoute from '@/app/api/admin/users/[userId]/route';
import * as resetRoute from '@/app/api/admin/users/[userId]/reset-password/route';
import * as deactivateRoute from '@/app/api/admin/users/[userId]/deactivate/route';
import * as reactivateRoute from '@/app/api/admin/users/[userId]/reactivate/route';
import * as meRoute from '@/app/api/me/route';
import { getDb } from '@/lib/db/client';
import { findNotifications } from '@/lib/notifications/find-notifications';
import { assertAdminRemains } from '@/lib/users/assert-admin-remains';
import { createUser } from '@/lib/users/create-user';
import { findUsers } from '@/lib/users/find-users';
import { setUserActive } from '@/lib/users/set-user-active';
import { updateUser } from '@/lib/users/update-user';
import { callRoute, signIn, signInOrThrow } from '../helpers/api';
import { makeUser } from '../helpers/users';

async function adminSession() {
  const admin = await makeUser(['admin']);
  return { admin, session: await signInOrThrow(admin.email, admin.password) };
}

describe('creating users (API)', () => {
  it('rejects bad input with field errors and writes nothing', async () => {
    const { session } = await adminSession();
    const before = await getDb().user.count();
    const cases = [
      { body: { name: '', email: 'not-an-email', roles: [] }, fields: ['email', 'name', 'roles'] },
      { body: { name: 'X', email: 'x@test.local', roles: ['superuser'] }, fields: ['roles'] },
      { body: { name: 'X', email: 'x@test.local', roles: ['patient'], password: 'short' }, fields: ['password'] },
    ];
    for (const { body, fields } of cases) {
      const res = await callRoute(usersRoute, 'POST', '/api/admin/users', { session, body });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json.fields as object).sort()).toEqual(fields);
    }
    const broken = await callRoute(usersRoute, 'POST', '/api/admin/users', { session, rawBody: '{"name": "X",', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.json.message).toMatch(/not valid JSON/);
    const form = await callRoute(usersRoute, 'POST', '/api/admin/users', { session, rawBody: 'name=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(await getDb().user.count()).toBe(before);
  });

  it('refuses a second account with the same email (any case) and keeps the first intact', async () => {
    const { session } = await adminSession();
    const first = await callRoute(usersRoute, 'POST', '/api/admin/users', {
      session,
      body: { name: 'Ada One', email: 'ada@test.local', roles: ['radiologist'] },
    });
    expect(first.status).toBe(201);
    const again = await callRoute(usersRoute, 'POST', '/api/admin/users', {
      session,
      body: { name: 'Ada Two', email: ' ADA@Test.Local ', roles: ['admin'] },
    });
    expect(again.status).toBe(409);
    const rows = await getDb().user.findMany({ where: { email: 'ada@test.local' }, include: { roles: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('Ada One');
    expect(rows[0]!.roles.map((r) => r.role)).toEqual(['radiologist']);
  });

  it('creates a user with several roles and a temporary password shown once, stored only hashed', async () => {
    const { admin, session } = await adminSession();
    const res = await callRoute(usersRoute, 'POST', '/api/admin/users', {
      session,
      body: { name: 'Grace Hopper', email: 'Grace@Test.Local', roles: ['radiologist', 'ml_engineer', 'radiologist'] },
    });
    expect(res.status).toBe(201);
    const { user, password } = res.json as { user: { id: string; email: string; roles: string[]; mustChangePassword: boolean }; password: string };
    expect(user).toMatchObject({ email: 'grace@test.local', roles: ['radiologist', 'ml_engineer'], mustChangePassword: true });
    expect(password).toMatch(/^[a-z2-9-]{24}$/);
    const account = await getDb().account.findFirstOrThrow({ where: { userId: user.id } });
    expect(account.password).not.toContain(password);
    expect(account.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // Better Auth's scrypt salt:hash
    const grants = await getDb().userRole.findMany({ where: { userId: user.id } });
    expect(grants.every((g) => g.grantedById === admin.id)).toBe(true);
    expect((await signIn('grace@test.local', password)).res.status).toBe(200);
    expect((await findNotifications(user.id)).items[0]).toMatchObject({ title: 'Welcome to Cohort' });
  });
});

describe('changing users', () => {
  it('never leaves Cohort without an active admin', async () => {
    const admin = await makeUser(['admin']);
    const db = getDb();
    // Make `admin` the only active admin of this database.
    const others = await db.user.findMany({ where: { id: { not: admin.id }, roles: { some: { role: 'admin' } } } });
    await db.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { deactivatedAt: new Date() } });
    const helper = await makeUser(['radiologist']);
    await expect(updateUser({ userId: admin.id, input: { roles: ['radiologist'] }, actorId: helper.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserActive({ userId: admin.id, active: false, actorId: helper.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(updateUser({ userId: admin.id, input: { roles: ['radiologist'] }, actorId: admin.id })).rejects.toMatchObject({
      message: /your own admin role/,
    });
    await expect(setUserActive({ userId: admin.id, active: false, actorId: admin.id })).rejects.toMatchObject({ message: /your own account/ });
    expect((await db.userRole.findMany({ where: { userId: admin.id } })).map((r) => r.role)).toEqual(['admin']);
    // With a second admin, the first may step down.
    await updateUser({ userId: helper.id, input: { roles: ['admin'] }, actorId: admin.id });
    await updateUser({ userId: admin.id, input: { roles: ['radiologist'] }, actorId: helper.id });
  });

  it('keeps one admin when the last two demote each other at the same moment', async () => {
    const db = getDb();
    await db.user.updateMany({ where: { roles: { some: { role: 'admin' } } }, data: { deactivatedAt: new Date() } });
    const a = await makeUser(['admin']);
    const b = await makeUser(['admin']);
    let aChecked!: () => void;
    let aMayCommit!: () => void;
    const aCheckedP = new Promise<void>((r) => (aChecked = r));
    const aMayCommitP = new Promise<void>((r) => (aMayCommit = r));
    // A: passes the check (b is still an admin) and demotes a, then waits before committing.
    const demoteA = db.$transaction(async (tx) => {
      await assertAdminRemains(tx, a.id);
      await tx.userRole.deleteMany({ where: { userId: a.id, role: 'admin' } });
      aChecked();
      await aMayCommitP;
    });
    await aCheckedP;
    // B, meanwhile: would see a as an admin still (A has not committed) and demote b too, without a lock.
    let bSettled = false;
    // Its outcome is taken at once (not when asserted): B may fail while the test still awaits A.
    const demoteB = db
      .$transaction(async (tx) => {
        await assertAdminRemains(tx, b.id);
        await tx.userRole.deleteMany({ where: { userId: b.id, role: 'admin' } });
      })
      .then(
        () => null,
        (err: unknown) => err,
      )
      .finally(() => (bSettled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(bSettled).toBe(false); // B waits for A
    aMayCommit();
    await demoteA;
    expect(await demoteB).toMatchObject({ code: 'CONFLICT' });
    expect(await db.user.count({ where: { deactivatedAt: null, roles: { some: { role: 'admin' } } } })).toBe(1);
  });

  it('replaces roles, records who granted them, and tells the user', async () => {
    const admin = await makeUser(['admin']);
    const user = await makeUser(['patient']);
    const updated = await updateUser({ userId: user.id, input: { name: 'New Name', roles: ['radiologist', 'ml_engineer'] }, actorId: admin.id });
    expect(updated).toMatchObject({ name: 'New Name', roles: ['radiologist', 'ml_engineer'] });
    const grants = await getDb().userRole.findMany({ where: { userId: user.id } });
    expect(grants.map((g) => [g.role, g.grantedById]).sort()).toEqual([
      ['ml_engineer', admin.id],
      ['radiologist', admin.id],
    ]);
    expect((await findNotifications(user.id)).items[0]).toMatchObject({ title: 'Your roles changed', read: false });
  });

  it('resets a password: old one and all sessions stop working, the new one is temporary', async () => {
    const { session } = await adminSession();
    const user = await makeUser(['radiologist']);
    const userSession = await signInOrThrow(user.email, user.password);
    const res = await callRoute(resetRoute, 'POST', `/api/admin/users/${user.id}/reset-password`, { session, params: { userId: user.id } });
    expect(res.status).toBe(200);
    const { password } = res.json as { password: string };
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await callRoute(meRoute, 'GET', '/api/me', { session: userSession })).status).toBe(401);
    expect((await signIn(user.email, user.password)).res.status).toBe(401);
    expect((await signIn(user.email, password)).res.status).toBe(200);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(true);
  });

  it('deactivation keeps the account and its data, and is reversible', async () => {
    const { session } = await adminSession();
    const user = await makeUser(['ml_engineer']);
    const res = await callRoute(deactivateRoute, 'POST', `/api/admin/users/${user.id}/deactivate`, { session, params: { userId: user.id } });
    expect(res.json).toMatchObject({ status: 'deactivated', roles: ['ml_engineer'] });
    expect((await findUsers({ status: 'deactivated' })).map((u) => u.id)).toContain(user.id);
    const got = await callRoute(userRoute, 'GET', `/api/admin/users/${user.id}`, { session, params: { userId: user.id } });
    expect(got.json).toMatchObject({ email: user.email, status: 'deactivated' });
    expect((await signIn(user.email, user.password)).res.status).toBe(403);

    const back = await callRoute(reactivateRoute, 'POST', `/api/admin/users/${user.id}/reactivate`, { session, params: { userId: user.id } });
    expect(back.json).toMatchObject({ status: 'active', roles: ['ml_engineer'] });
    expect((await signIn(user.email, user.password)).res.status).toBe(200);
  });

  it('finds users by name or email fragment, role and status', async () => {
    await createUser({ input: { name: 'Zed Findable', email: 'zed.findable@test.local', roles: ['patient'] }, actorId: null });
    expect((await findUsers({ q: 'findable' })).map((u) => u.email)).toEqual(['zed.findable@test.local']);
    expect((await findUsers({ q: 'ZED.FIND' })).map((u) => u.email)).toEqual(['zed.findable@test.local']);
    expect((await findUsers({ q: 'zed find' })).map((u) => u.name)).toEqual(['Zed Findable']);
    expect((await findUsers({ role: 'patient', q: 'zed' })).length).toBe(1);
    expect((await findUsers({ role: 'admin', q: 'zed' })).length).toBe(0);
  });
});
