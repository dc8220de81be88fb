import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import { makeUser } from '../helpers/users';

const COLUMNS = ['id', 'user_id', 'kind', 'title', 'body', 'href', 'created_at', 'read_at'];

describe('insertRows', () => {
  it('writes nothing when one row of a multi-statement batch fails', async () => {
    const user = await makeUser(['patient']);
    const db = getDb();
    const before = await db.notification.count();
    const rows = Array.from({ length: 9000 }, (_, i) => [randomUUID(), i === 8500 ? 'no-such-user' : user.id, 'k', 't', 'b', null, new Date(), null]);
    await expect(db.$transaction((tx) => insertRows(tx, 'notification', COLUMNS, rows))).rejects.toThrow();
    expect(await db.notification.count()).toBe(before);
  });

  it('refuses identifiers that are not plain names and rows of the wrong width', async () => {
    const db = getDb();
    await expect(db.$transaction((tx) => insertRows(tx, 'notification"; DROP TABLE "user', ['id'], [['x']]))).rejects.toThrow(/identifier/);
    await expect(db.$transaction((tx) => insertRows(tx, 'notification', COLUMNS, [['only-one']]))).rejects.toThrow(/1 values for 8 columns/);
  });

  it('round-trips values exactly as Prisma reads them, across several statements', async () => {
    const user = await makeUser(['patient']);
    const db = getDb();
    const when = new Date('2026-03-01T08:15:30.123Z');
    const rows = Array.from({ length: 12_000 }, (_, i) => [
      `n-${i}-${randomUUID()}`,
      user.id,
      'announcement',
      `Title ${i} — “quoted” 'single' ✓`,
      'Body',
      i % 2 ? `/x/${i}` : null,
      new Date(when.getTime() + i),
      i % 3 ? null : when,
    ]);
    // 12,000 rows × 8 columns needs several statements under the bind-parameter limit.
    const inserted = await db.$transaction((tx) => insertRows(tx, 'notification', COLUMNS, rows));
    expect(inserted).toBe(12_000);
    const back = await db.notification.findMany({ where: { userId: user.id, kind: 'announcement' }, orderBy: { createdAt: 'asc' } });
    expect(back).toHaveLength(12_000);
    expect(back[7]).toEqual({
      id: rows[7]![0],
      userId: user.id,
      kind: 'announcement',
      title: "Title 7 — “quoted” 'single' ✓",
      body: 'Body',
      href: '/x/7',
      createdAt: new Date(when.getTime() + 7),
      readAt: null,
    });
    expect(back[9]!.readAt).toEqual(when);
    // Dates written here and by Prisma compare and sort together.
    expect(await db.notification.count({ where: { userId: user.id, kind: 'announcement', createdAt: { gte: new Date(when.getTime() + 11_990) } } })).toBe(10);
  });
});
