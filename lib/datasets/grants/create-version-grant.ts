import { createHash } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { ageEncrypt } from '@/lib/keys/age-encrypt';
import { appendEntry } from '@/lib/ledger/append-entry';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { RECIPIENT_KEY_ROLES } from '@/lib/recipient-keys/recipient-key-roles';
import { keyFileOf, openVersionKey } from '../version-key';
import type { CreateVersionGrantInput } from './schemas';

export type CreateVersionGrantOptions = CreateVersionGrantInput & { versionId: string; actorId: string };

/**
 * Shares a published private version with one registered key, with its `dataset.shared` ledger entry: the version's key file (the JSON
 * `cohort pull --key` reads) age-encrypted to the key's recipient, so only the holder of its identity
 * can read it and Cohort hands out no raw key. Sharing again with the same key returns the grant
 * already made (`created: false`).
 */
export async function createVersionGrant({ versionId, recipientKeyId, actorId }: CreateVersionGrantOptions): Promise<{ id: string; created: boolean }> {
  const db = getDb();
  const version = await db.datasetVersion.findUnique({ where: { id: versionId }, select: { sealedKey: true, rootCid: true, status: true, version: true } });
  if (!version) throw new AppError('NOT_FOUND', 'No such dataset version.');
  if (!version.sealedKey) throw new AppError('CONFLICT', 'This version is an open dataset: it is published unencrypted and has no key to share.');
  if (version.status !== 'published') throw new AppError('CONFLICT', 'Only a published version can be shared.');
  const key = await db.recipientKey.findUnique({
    where: { id: recipientKeyId },
    select: { recipient: true, userId: true, user: { select: { deactivatedAt: true, roles: { select: { role: true } } } } },
  });
  if (!key) throw new AppError('NOT_FOUND', 'No such recipient key.');
  if (key.user.deactivatedAt) throw new AppError('CONFLICT', "This key's owner is deactivated: nothing can be shared with them.");
  if (!key.user.roles.some((r) => (RECIPIENT_KEY_ROLES as string[]).includes(r.role))) throw new AppError('CONFLICT', "This key's owner holds no role that may receive dataset keys.");
  // Encrypted outside the transaction: it is CPU work, and the row is re-checked inside.
  const keyFile = keyFileOf(openVersionKey(version.sealedKey), version.rootCid);
  const wrapped = ageEncrypt(Buffer.from(JSON.stringify(keyFile, null, 2) + '\n'), [key.recipient]).toString('base64');
  return db.$transaction(async (tx) => {
    // Re-read in the tx: the owner may remove the key between the check above and this write.
    const current = await tx.recipientKey.findUnique({ where: { id: recipientKeyId }, select: { revokedAt: true } });
    if (!current) throw new AppError('NOT_FOUND', 'No such recipient key.');
    const existing = await tx.datasetVersionGrant.findUnique({ where: { versionId_recipientKeyId: { versionId, recipientKeyId } }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
    if (current.revokedAt) throw new AppError('CONFLICT', 'Its owner removed this key: it can receive no new grant. Ask them to register a new one.');
    const row = await tx.datasetVersionGrant.create({ data: { versionId, recipientKeyId, grantedById: actorId, wrapped }, select: { id: true } });
    // Who was given the key to which version is on the record: pseudonyms and a hash of the public key only.
    await appendEntry(tx, {
      type: 'dataset.shared',
      actor: pseudonymOf(actorId),
      subjects: [row.id, version.rootCid!],
      payload: { version: version.version, recipient: pseudonymOf(key.userId), recipientKeySha256: createHash('sha256').update(key.recipient).digest('hex') },
    });
    return { id: row.id, created: true };
  });
}
