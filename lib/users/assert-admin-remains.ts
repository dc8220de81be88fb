import { env } from '@/lib/config/env';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

const ADMIN_CHANGE_LOCK = 7_262_027;

/**
 * Refuses a change that would leave no active admin other than `leavingUserId` (nobody could manage
 * users). Call it inside the transaction that makes the change: on PostgreSQL it first takes a
 * transaction-scoped lock, so two admins demoting each other at the same moment cannot both pass
 * (each would otherwise still count the other). SQLite runs one write transaction at a time.
 */
export async function assertAdminRemains(tx: Tx, leavingUserId: string): Promise<void> {
  if (env.databaseProvider === 'postgresql') {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${ADMIN_CHANGE_LOCK})`;
  }
  const others = await tx.user.count({
    where: { id: { not: leavingUserId }, deactivatedAt: null, roles: { some: { role: 'admin' } } },
  });
  if (others === 0) {
    throw new AppError('CONFLICT', 'Cohort needs at least one active admin. Make someone else an admin first.');
  }
}
