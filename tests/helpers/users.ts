import { getDb } from '@/lib/db/client';
import type { Role } from '@/lib/auth/roles';
import { createUser } from '@/lib/users/create-user';
import { signInOrThrow, type Session } from './api';

let counter = 0;

/** A user who can sign in at once (no temporary password), with the given roles. */
export async function makeUser(roles: Role[], overrides: { email?: string; password?: string; temporary?: boolean } = {}) {
  counter++;
  const email = overrides.email ?? `user${counter}-${roles.join('-') || 'none'}@test.local`;
  const password = overrides.password ?? `correct-horse-${counter}-battery`;
  const { user } = await createUser({
    input: { name: `Test ${roles.join(' ') || 'nobody'} ${counter}`, email, roles, password },
    actorId: null,
    temporary: overrides.temporary ?? false,
  });
  return { ...user, password };
}

/** A new user with the given roles, signed in: their id and session. */
export async function signedInUser(roles: Role[]): Promise<{ id: string; session: Session }> {
  const user = await makeUser(roles);
  return { id: user.id, session: await signInOrThrow(user.email, user.password) };
}

export async function expireSessionsOf(userId: string) {
  await getDb().session.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
}
