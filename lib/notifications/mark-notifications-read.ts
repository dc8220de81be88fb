import { getDb } from '@/lib/db/client';

/** Marks the user's own notifications read; ids of other users' notifications are silently ignored. */
export async function markNotificationsRead(userId: string, ids?: string[]): Promise<{ updated: number }> {
  const { count } = await getDb().notification.updateMany({
    where: { userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { updated: count };
}
