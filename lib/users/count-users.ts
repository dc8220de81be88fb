import { ROLES, type Role } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';

/** Head counts for the admin overview: active and deactivated users, active holders of each role. */
export async function countUsers(): Promise<{ active: number; deactivated: number; byRole: Record<Role, number> }> {
  const db = getDb();
  const [active, deactivated, roleRows] = await Promise.all([
    db.user.count({ where: { deactivatedAt: null } }),
    db.user.count({ where: { deactivatedAt: { not: null } } }),
    db.userRole.groupBy({ by: ['role'], where: { user: { deactivatedAt: null } }, _count: { _all: true } }),
  ]);
  const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const row of roleRows) if (row.role in byRole) byRole[row.role as Role] = row._count._all;
  return { active, deactivated, byRole };
}
