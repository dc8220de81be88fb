import { randomUUID } from 'node:crypto';
import { hashPassword } from '@/lib/auth/auth';
import { generateTemporaryPassword } from '@/lib/auth/temporary-password';
import { getDb, type Tx } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { AppError } from '@/lib/errors/app-error';
import { notifyUser } from '@/lib/notifications/notify-user';
import { ZCreateUserInput, type CreateUserInput } from './schemas';
import { toUserView, USER_VIEW_SELECT, type UserView } from './user-view';

export type CreateUserOptions = {
  input: CreateUserInput;
  /** The admin creating the account; null for accounts Cohort creates itself (first admin, demo). */
  actorId: string | null;
  /** Require a new password at first sign-in (default: yes, the admin knows this one). */
  temporary?: boolean;
  /** The caller's transaction, when the account is part of a larger change (a patient claiming a code). */
  tx?: Tx;
};

/**
 * Creates a user with an email + password sign-in and their roles in one transaction. Without a
 * password in the input a temporary one is generated; it is returned once and stored only hashed.
 */
export async function createUser({
  input: raw,
  actorId,
  temporary = true,
  tx: outer,
}: CreateUserOptions): Promise<{ user: UserView; password: string }> {
  // Parsed here too: start-up and scripts call this with values from env (e.g. a mixed-case email
  // that Better Auth, which looks emails up in lower case, would otherwise never find).
  const input = ZCreateUserInput.parse(raw);
  const password = input.password ?? generateTemporaryPassword();
  const passwordHash = await hashPassword(password);
  const id = randomUUID();
  try {
    const inTransaction = <T,>(fn: (tx: Tx) => Promise<T>) => (outer ? fn(outer) : getDb().$transaction(fn));
    const user = await inTransaction(async (tx) => {
      const row = await tx.user.create({
        data: {
          id,
          name: input.name,
          email: input.email,
          mustChangePassword: temporary,
          // Better Auth's credential account: accountId is the user id by its convention.
          accounts: { create: { providerId: 'credential', accountId: id, password: passwordHash } },
          roles: { create: input.roles.map((role) => ({ role, grantedById: actorId })) },
        },
        select: USER_VIEW_SELECT,
      });
      await notifyUser(tx, id, {
        kind: 'account',
        title: 'Welcome to Cohort',
        body: `Your account was created with the roles: ${input.roles.join(', ')}.`,
        href: '/',
      });
      return row;
    });
    return { user: toUserView(user), password };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A user with the email ${input.email} already exists.`);
    throw err;
  }
}
