import { getDb } from '@/lib/db/client';

export type NotificationView = {
  id: string;
  kind: string;
  title: string;
  body: string;
  href: string | null;
  createdAt: string;
  read: boolean;
};

/** A user's newest notifications, and how many are unread in all. */
export async function findNotifications(userId: string, { take = 50 }: { take?: number } = {}) {
  const db = getDb();
  const [rows, unread] = await Promise.all([
    db.notification.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take }),
    db.notification.count({ where: { userId, readAt: null } }),
  ]);
  const items: NotificationView[] = rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    href: n.href,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
  }));
  return { items, unread };
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return getDb().notification.count({ where: { userId, readAt: null } });
}
