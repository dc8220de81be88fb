import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { insertRows } from '@/lib/db/insert-rows';
import type { BroadcastInput } from './schemas';

/**
 * An announcement to every active user (optionally only those holding given roles): one inbox row
 * each, written in bulk in one transaction.
 */
export async function broadcastNotification(input: BroadcastInput): Promise<{ recipients: number }> {
  const db = getDb();
  // Large installations broadcast to tens of thousands of patients; the default 5 s would cut it short.
  return db.$transaction(async (tx) => {
    const users = await tx.user.findMany({
      where: {
        deactivatedAt: null,
        ...(input.roles.length > 0 ? { roles: { some: { role: { in: input.roles } } } } : {}),
      },
      select: { id: true },
    });
    const createdAt = new Date();
    const recipients = await insertRows(
      tx,
      'notification',
      ['id', 'user_id', 'kind', 'title', 'body', 'created_at'],
      users.map((u) => [randomUUID(), u.id, 'announcement', input.title, input.body, createdAt]),
    );
    return { recipients };
  }, { timeout: 60_000 });
}
