import { getDb } from '@/lib/db/client';
import { RECIPIENT_KEY_ROLES } from './recipient-key-roles';

/** A key a private version can be shared with, and whose it is. */
export type ShareableRecipientKey = { id: string; label: string; recipient: string; owner: { id: string; name: string; email: string } };

/** Every active key whose owner is active and still holds a role that may receive keys (the dataset page's "Share" list). */
export async function findShareableRecipientKeys(): Promise<ShareableRecipientKey[]> {
  const rows = await getDb().recipientKey.findMany({
    where: { revokedAt: null, user: { deactivatedAt: null, roles: { some: { role: { in: RECIPIENT_KEY_ROLES } } } } },
    orderBy: [{ user: { name: 'asc' } }, { createdAt: 'asc' }],
    select: { id: true, label: true, recipient: true, user: { select: { id: true, name: true, email: true } } },
    take: 1000,
  });
  return rows.map(({ user, ...key }) => ({ ...key, owner: user }));
}
