import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/** Refuses a change that would leave no active admin other than `leavingUserId` (nobody could manage users). */
export async function assertAdminRemains(tx: Tx, leavingUserId: string): Promise<void> {
  const others = await tx.user.count({
    where: { id: { not: leavingUserId }, deactivatedAt: null, roles: { some: { role: 'admin' } } },
  });
  if (others === 0) {
    throw new AppError('CONFLICT', 'Cohort needs at least one active admin. Make someone else an admin first.');
  }
}
