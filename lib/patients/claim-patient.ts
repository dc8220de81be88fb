import { getDb, type Tx } from '@/lib/db/client';
import { releaseSignInAttempt, reserveSignInAttempt } from '@/lib/auth/account-throttle';
import { AppError } from '@/lib/errors/app-error';
import { notifyUser } from '@/lib/notifications/notify-user';
import { createUser } from '@/lib/users/create-user';
import { claimCodeHash, normalizeClaimCode } from './claim-code-format';
import type { ClaimNewAccountInput } from './schemas';

/** Wrong codes allowed per account or address in a window: typing mistakes, never guessing. */
export const CLAIM_FAILURES = { max: 10, windowMs: 15 * 60 * 1000 };

export type ClaimResult = { userId: string; patientId: string; studies: number };

/**
 * Links the patient a claim code was issued for to the signed-in patient account: from then on the
 * account sees that patient's studies. `throttleKey` (the account) limits wrong codes.
 */
export async function claimPatient({ userId, code }: { userId: string; code: string }): Promise<ClaimResult> {
  return throttled(`claim:user:${userId}`, () => getDb().$transaction((tx) => link(tx, code, userId)));
}

/**
 * Opens a patient account with a claim code (name, email, a password of the patient's choosing) and
 * links it, in one transaction: a wrong code creates no account. `address` limits wrong codes.
 */
export async function claimWithNewAccount({ input, address }: { input: ClaimNewAccountInput; address: string }): Promise<ClaimResult> {
  return throttled(`claim:address:${address}`, () =>
    getDb().$transaction(async (tx) => {
      // The code first: an account is created only for a code that can be claimed.
      await openCode(tx, input.code);
      const { user } = await createUser({ input: { name: input.name, email: input.email, password: input.password, roles: ['patient'] }, actorId: null, temporary: false, tx });
      return link(tx, input.code, user.id);
    }),
  );
}

/** Runs `claim`, counting a wrong code against `key`; refused while the key has too many. */
async function throttled(key: string, claim: () => Promise<ClaimResult>): Promise<ClaimResult> {
  const db = getDb();
  const decision = await reserveSignInAttempt(db, key, CLAIM_FAILURES);
  if (!decision.allowed) throw new AppError('TOO_MANY_REQUESTS', `Too many wrong codes: try again in ${Math.ceil(decision.retryAfterSeconds / 60)} minutes.`);
  try {
    const result = await claim();
    await releaseSignInAttempt(db, key);
    return result;
  } catch (err) {
    // Only a wrong code counts; an email already taken, say, does not.
    if (!(err instanceof AppError && err.code === 'BAD_REQUEST')) await releaseSignInAttempt(db, key);
    throw err;
  }
}

async function openCode(tx: Tx, typed: string) {
  const normalized = normalizeClaimCode(typed);
  const row = normalized ? await tx.claimCode.findUnique({ where: { codeHash: claimCodeHash(normalized) }, include: { patient: { select: { link: true } } } }) : null;
  if (!row) throw new AppError('BAD_REQUEST', 'This code is not valid: check it against your letter.');
  if (row.claimedAt || row.patient.link) throw new AppError('CONFLICT', 'This code has already been used. If that was not you, contact the hospital.');
  if (row.revokedAt) throw new AppError('CONFLICT', 'This code has been withdrawn: ask the hospital for a new one.');
  if (row.expiresAt.getTime() <= Date.now()) throw new AppError('CONFLICT', 'This code has expired: ask the hospital for a new one.');
  return row;
}

async function link(tx: Tx, typed: string, userId: string): Promise<ClaimResult> {
  const code = await openCode(tx, typed);
  const roles = await tx.userRole.findMany({ where: { userId }, select: { role: true } });
  if (!roles.some((r) => r.role === 'patient')) throw new AppError('FORBIDDEN', 'Only a patient account can claim studies.');
  // Conditional: of two claims racing for one code, one wins.
  const { count } = await tx.claimCode.updateMany({ where: { id: code.id, claimedAt: null, revokedAt: null }, data: { claimedAt: new Date(), claimedById: userId } });
  if (count !== 1) throw new AppError('CONFLICT', 'This code has already been used. If that was not you, contact the hospital.');
  await tx.patientLink.create({ data: { patientId: code.patientId, userId, codeId: code.id } });
  const studies = await tx.study.count({ where: { patientId: code.patientId } });
  await notifyUser(tx, userId, {
    kind: 'account',
    title: 'Your studies are linked',
    body: `${studies} ${studies === 1 ? 'study is' : 'studies are'} now in your account. Decide how each may be used under My studies.`,
    href: '/me',
  });
  return { userId, patientId: code.patientId, studies };
}
