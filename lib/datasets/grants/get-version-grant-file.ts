import { hasRole, type SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { RECIPIENT_KEY_ROLES } from '@/lib/recipient-keys/recipient-key-roles';
import { grantFileName } from './version-grant-view';

/**
 * The age file of one grant, for its key's owner and for ML engineers and admins (who shared it; it
 * is useless to them without the owner's identity). Anyone else gets NOT_FOUND, as for a missing grant.
 */
export async function getVersionGrantFile({ versionId, grantId, user }: { versionId: string; grantId: string; user: Pick<SessionUser, 'id' | 'roles'> }): Promise<{ bytes: Buffer; fileName: string }> {
  const row = await getDb().datasetVersionGrant.findFirst({
    where: { id: grantId, versionId },
    select: { wrapped: true, recipientKey: { select: { userId: true } }, version: { select: { rootCid: true } } },
  });
  const owner = row?.recipientKey.userId === user.id && hasRole(user, ...RECIPIENT_KEY_ROLES);
  if (!row || !(owner || hasRole(user, 'ml_engineer', 'admin'))) throw new AppError('NOT_FOUND', 'No such grant.');
  return { bytes: Buffer.from(row.wrapped, 'base64'), fileName: grantFileName(row.version.rootCid ?? versionId) };
}
