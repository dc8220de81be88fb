import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { SetCreditNameInput } from './schemas';

/**
 * The name a contributor is credited under in datasets published from now on (null: their ledger
 * pseudonym only). Versions already published keep what their signed manifest says; the ledger
 * never holds names either way.
 */
export async function getCreditName(userId: string): Promise<string | null> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { creditName: true } });
  if (!user) throw new AppError('NOT_FOUND', 'No such user.');
  return user.creditName;
}

export async function setCreditName(userId: string, { creditName }: SetCreditNameInput): Promise<string | null> {
  const user = await getDb().user.update({ where: { id: userId }, data: { creditName }, select: { creditName: true } });
  return user.creditName;
}
