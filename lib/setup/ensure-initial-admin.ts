import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors/app-error';
import { createUser } from '@/lib/users/create-user';

export type InitialAdmin = { email: string; password: string; generated: boolean };

/**
 * On a fresh installation (nobody holds the admin role) creates the first admin: email from
 * COHORT_ADMIN_EMAIL, password from COHORT_ADMIN_PASSWORD or generated. Returns the credentials so
 * the caller can print them once; null when an admin already exists.
 */
export async function ensureInitialAdmin({
  email,
  password,
}: {
  email: string;
  password?: string;
}): Promise<InitialAdmin | null> {
  const admins = await getDb().userRole.count({ where: { role: 'admin' } });
  if (admins > 0) return null;
  try {
    const created = await createUser({
      input: { name: 'Administrator', email, roles: ['admin'], ...(password ? { password } : {}) },
      actorId: null,
      // A generated password went through the console (and so the logs): it must be replaced at
      // first sign-in. One from the environment was chosen by the operator.
      temporary: !password,
    });
    return { email: created.user.email, password: created.password, generated: !password };
  } catch (err) {
    // Another process starting at the same moment created it first.
    if (isAppError(err, 'CONFLICT')) return null;
    throw err;
  }
}
