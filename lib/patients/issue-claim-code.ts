import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { claimCodeHash, newClaimCode, normalizeClaimCode } from './claim-code-format';

export type IssuedClaimCode = { id: string; code: string; patientId: string; expiresAt: string };

/**
 * Issues a patient a claim code, returned once (only its hash is stored); any code of theirs still
 * open is revoked, so re-issuing a lost letter leaves one valid code. Refused for a patient already
 * linked to an account (CONFLICT): their studies are claimed.
 */
export async function issueClaimCode({ actorId, patientId, validDays }: { actorId: string; patientId: string; validDays: number }): Promise<IssuedClaimCode> {
  const code = newClaimCode();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + validDays * 24 * 3600 * 1000);
  return getDb().$transaction(async (tx) => {
    const patient = await tx.patient.findUnique({ where: { id: patientId }, select: { id: true, link: { select: { userId: true } } } });
    if (!patient) throw new AppError('NOT_FOUND', 'No such patient.');
    if (patient.link) throw new AppError('CONFLICT', 'This patient has already claimed their studies: there is nothing to issue a code for.');
    await tx.claimCode.updateMany({ where: { patientId, claimedAt: null, revokedAt: null }, data: { revokedAt: now, revokedById: actorId } });
    const row = await tx.claimCode.create({ data: { patientId, codeHash: claimCodeHash(normalizeClaimCode(code)!), issuedById: actorId, issuedAt: now, expiresAt } });
    return { id: row.id, code, patientId, expiresAt: expiresAt.toISOString() };
  });
}
