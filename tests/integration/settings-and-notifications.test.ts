import { describe, expect, it } from 'vitest';
import * as settingsRoute from '@/app/api/admin/settings/route';
import * as announcementsRoute from '@/app/api/admin/announcements/route';
import * as notificationsRoute from '@/app/api/notifications/route';
import * as readRoute from '@/app/api/notifications/read/route';
import { getDb } from '@/lib/db/client';
import { getSettings } from '@/lib/settings/get-settings';
import { setUserActive } from '@/lib/users/set-user-active';
import { callRoute, signInOrThrow } from '../helpers/api';
import { makeUser } from '../helpers/users';

describe('settings', () => {
  it('rejects unknown keys and invalid values, changing nothing', async () => {
    const admin = await makeUser(['admin']);
    const session = await signInOrThrow(admin.email, admin.password);
    for (const body of [{ 'instance.name': '' }, { 'instance.name': 'x'.repeat(81) }, { 'auth.disable': true }, ['instance.name']]) {
      const res = await callRoute(settingsRoute, 'PATCH', '/api/admin/settings', { session, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await getDb().setting.count()).toBe(0);
  });

  it('falls back to defaults, stores changes with their author, and ignores a corrupted stored value', async () => {
    const admin = await makeUser(['admin']);
    const session = await signInOrThrow(admin.email, admin.password);
    expect(await getSettings()).toEqual({ 'instance.name': 'Cohort', 'instance.supportContact': '' });
    const res = await callRoute(settingsRoute, 'PATCH', '/api/admin/settings', {
      session,
      body: { 'instance.name': '  St. Elsewhere Research  ', 'instance.supportContact': 'pacs-team@hospital.example' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ 'instance.name': 'St. Elsewhere Research', 'instance.supportContact': 'pacs-team@hospital.example' });
    expect((await getDb().setting.findUniqueOrThrow({ where: { key: 'instance.name' } })).updatedById).toBe(admin.id);
    await getDb().setting.update({ where: { key: 'instance.name' }, data: { value: '{not json' } });
    expect((await getSettings())['instance.name']).toBe('Cohort');
  });
});

describe('notifications', () => {
  it('an announcement reaches exactly the active holders of the chosen roles', async () => {
    const admin = await makeUser(['admin']);
    const session = await signInOrThrow(admin.email, admin.password);
    const rad = await makeUser(['radiologist']);
    const both = await makeUser(['radiologist', 'ml_engineer']);
    const patient = await makeUser(['patient']);
    const gone = await makeUser(['radiologist']);
    await setUserActive({ userId: gone.id, active: false, actorId: admin.id });

    const bad = await callRoute(announcementsRoute, 'POST', '/api/admin/announcements', { session, body: { title: '', body: 'x', roles: ['nope'] } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields as object).sort()).toEqual(['roles', 'title']);

    const res = await callRoute(announcementsRoute, 'POST', '/api/admin/announcements', {
      session,
      body: { title: 'Reading room closed Friday', body: 'Use remote reading.', roles: ['radiologist'] },
    });
    expect(res.status).toBe(201);
    const recipients = await getDb().notification.findMany({ where: { title: 'Reading room closed Friday' } });
    expect(recipients.map((n) => n.userId).sort()).toEqual([rad.id, both.id].sort());
    expect(res.json).toEqual({ recipients: 2 });
    expect(recipients.some((n) => n.userId === patient.id || n.userId === gone.id)).toBe(false);
  });

  it('lists only my notifications and marks only mine read, even when given others\' ids', async () => {
    const me = await makeUser(['radiologist']);
    const other = await makeUser(['radiologist']);
    const mySession = await signInOrThrow(me.email, me.password);
    const otherNote = await getDb().notification.findFirstOrThrow({ where: { userId: other.id } });

    const mine = await callRoute(notificationsRoute, 'GET', '/api/notifications', { session: mySession });
    expect(mine.json.unread).toBe(1);
    expect((mine.json.items as { id: string }[]).map((i) => i.id)).not.toContain(otherNote.id);

    const marked = await callRoute(readRoute, 'POST', '/api/notifications/read', { session: mySession, body: { ids: [otherNote.id] } });
    expect(marked.json).toEqual({ updated: 0 });
    expect((await getDb().notification.findUniqueOrThrow({ where: { id: otherNote.id } })).readAt).toBeNull();

    expect((await callRoute(readRoute, 'POST', '/api/notifications/read', { session: mySession, body: {} })).json).toEqual({ updated: 1 });
    expect((await callRoute(notificationsRoute, 'GET', '/api/notifications', { session: mySession })).json.unread).toBe(0);
    const badIds = await callRoute(readRoute, 'POST', '/api/notifications/read', { session: mySession, body: { ids: 'all' } });
    expect(badIds.status).toBe(400);
  });
});
