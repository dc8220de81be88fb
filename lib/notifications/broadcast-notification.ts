import { getDb } from '@/lib/db/client';
import { createManyInChunks } from '@/lib/db/create-many-in-chunks';
import type { BroadcastInput } from './schemas';

/**
 * An announcement to every active user (optionally only those holding given roles): one inbox row
 * each, written in bulk in one transaction.
 */
export async function broadcastNotification(input: BroadcastInput): Promise<{ recipients: number }> {
  const db = getDb();
  return db.$transaction(async (tx) => {
    const users = await tx.user.findMany({
      where: {
        deactivatedAt: null,
        ...(input.roles.length > 0 ? { roles: { some: { role: { in: input.roles } } } } : {}),
      },
      select: { id: true },
    });
    const createdAt = new Date();
    const rows = users.map((u) => ({
      userId: u.id,
      kind: 'announcement',
      title: input.title,
      body: input.body,
      createdAt,
    }));
    const recipients = await createManyInChunks(rows, (chunk) => tx.notification.createMany({ data: chunk }));
    return { recipients };
  });
}
