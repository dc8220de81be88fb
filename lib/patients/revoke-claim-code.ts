import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/** Revokes a patient's open claim code (a letter sent to the wrong address, say); a used or revoked one cannot be. */
export async function revokeClaimCode({ actorId, codeId }: { actorId: string; codeId: string }): Promise<{ id: string; revokedAt: string }> {
  const now = new Date();
  const { count } = await getDb().claimCode.updateMany({ where: { id: codeId, claimedAt: null, revokedAt: null }, data: { revokedAt: now, revokedById: actorId } });
  if (count === 0) {
    const row = await getDb().claimCode.findUnique({ where: { id: codeId } });
    if (!row) throw new AppError('NOT_FOUND', 'No such claim code.');
    throw new AppError('CONFLICT', row.claimedAt ? 'This code has been used: it linked the patient’s account and cannot be revoked.' : 'This code is already revoked.');
  }
  return { id: codeId, revokedAt: now.toISOString() };
}
