import { getDb } from '@/lib/db/client';
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
  const created = await createUser({
    input: { name: 'Administrator', email, roles: ['admin'], ...(password ? { password } : {}) },
    actorId: null,
    // A generated password is strong and shown once; one from env was chosen by the operator.
    temporary: false,
  });
  return { email, password: created.password, generated: !password };
}
