import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors/app-error';
import { createUser } from '@/lib/users/create-user';
import { DEMO_USERS } from './demo-users';

/** Creates the demo accounts that do not exist yet (idempotent); returns the ones created. */
export async function seedDemoUsers(): Promise<typeof DEMO_USERS> {
  const existing = await getDb().user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => u.email) } },
    select: { email: true },
  });
  const have = new Set(existing.map((u) => u.email));
  const created: typeof DEMO_USERS = [];
  for (const demo of DEMO_USERS.filter((u) => !have.has(u.email))) {
    try {
      await createUser({
        input: { name: demo.name, email: demo.email, roles: demo.roles, password: demo.password },
        actorId: null,
        temporary: false,
      });
      created.push(demo);
    } catch (err) {
      if (!isAppError(err, 'CONFLICT')) throw err; // seeded by a process starting at the same moment
    }
  }
  return created;
}
