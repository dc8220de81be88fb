import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { makeUser } from '../helpers/users';

describe('transactions', () => {
  it('are isolated: other requests neither see an open transaction\'s rows nor get undone by its rollback', async () => {
    const db = getDb();
    const user = await makeUser(['patient']);
    let opened!: () => void;
    let finish!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const mayFinish = new Promise<void>((r) => (finish = r));

    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.notification.create({ data: { userId: user.id, kind: 'probe', title: 'uncommitted', body: '' } });
        opened();
        await mayFinish;
        throw new Error('roll back');
      })
      .catch((err: unknown) => err);

    await isOpen;
    // Another request's write and read while the transaction is open.
    const write = db.notification.create({ data: { userId: user.id, kind: 'probe', title: 'independent', body: '' } });
    const read = db.notification.count({ where: { title: 'uncommitted' } });
    await new Promise((r) => setTimeout(r, 100));
    finish();

    expect(await rolledBack).toBeInstanceOf(Error);
    await write;
    expect(await read).toBe(0);
    expect(await db.notification.count({ where: { kind: 'probe', title: 'independent' } })).toBe(1);
    expect(await db.notification.count({ where: { kind: 'probe', title: 'uncommitted' } })).toBe(0);
  });

  it('run one after another on SQLite without deadlock when many requests interleave', async () => {
    const db = getDb();
    const user = await makeUser(['patient']);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? db.$transaction(async (tx) => {
              await tx.notification.create({ data: { userId: user.id, kind: 'burst', title: `tx ${i}`, body: '' } });
              await tx.notification.count({ where: { userId: user.id } });
            })
          : db.notification.create({ data: { userId: user.id, kind: 'burst', title: `plain ${i}`, body: '' } }),
      ),
    );
    expect(await db.notification.count({ where: { kind: 'burst' } })).toBe(20);
  });
});
