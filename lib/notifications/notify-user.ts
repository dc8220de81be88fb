import type { Tx } from '@/lib/db/client';
import type { NewNotification } from './schemas';

/** Leaves a message in one user's inbox, inside the caller's transaction with the change it reports. */
export async function notifyUser(tx: Tx, userId: string, message: NewNotification): Promise<void> {
  await tx.notification.create({ data: { userId, ...message, href: message.href ?? null } });
}
