import { hashPassword } from '@/lib/auth/auth';
import { generateTemporaryPassword } from '@/lib/auth/temporary-password';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { notifyUser } from '@/lib/notifications/notify-user';

/**
 * Gives a user a new temporary password (returned once), signs them out everywhere and makes them
 * choose their own at next sign-in. For forgotten passwords: there is no mail server to send links.
 */
export async function resetUserPassword({ userId }: { userId: string }): Promise<{ password: string }> {
  const password = generateTemporaryPassword();
  const passwordHash = await hashPassword(password);
  await getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    const credential = await tx.account.findFirst({ where: { userId, providerId: 'credential' }, select: { id: true } });
    if (credential) await tx.account.update({ where: { id: credential.id }, data: { password: passwordHash } });
    else await tx.account.create({ data: { userId, providerId: 'credential', accountId: userId, password: passwordHash } });
    await tx.user.update({ where: { id: userId }, data: { mustChangePassword: true } });
    await tx.session.deleteMany({ where: { userId } });
    await notifyUser(tx, userId, {
      kind: 'account',
      title: 'Your password was reset',
      body: 'An administrator reset your password and signed you out everywhere. If you did not ask for this, tell them.',
    });
  });
  return { password };
}
