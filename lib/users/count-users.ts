import { ROLES, type Role } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { DEMO_EMAIL_DOMAIN } from '@/lib/setup/demo-users';

/**
 * Head counts for the admin overview: active and deactivated users, active holders of each role, and
 * active demo accounts (their passwords are public, so admins are warned while any is active).
 */
export async function countUsers(): Promise<{
  active: number;
  deactivated: number;
  activeDemo: number;
  byRole: Record<Role, number>;
}> {
  const db = getDb();
  const [active, deactivated, activeDemo, roleRows] = await Promise.all([
    db.user.count({ where: { deactivatedAt: null } }),
    db.user.count({ where: { deactivatedAt: { not: null } } }),
    db.user.count({ where: { deactivatedAt: null, email: { endsWith: DEMO_EMAIL_DOMAIN } } }),
    db.userRole.groupBy({ by: ['role'], where: { user: { deactivatedAt: null } }, _count: { _all: true } }),
  ]);
  const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const row of roleRows) if (row.role in byRole) byRole[row.role as Role] = row._count._all;
  return { active, deactivated, activeDemo, byRole };
}
