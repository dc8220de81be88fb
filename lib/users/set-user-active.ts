import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { assertAdminRemains } from './assert-admin-remains';
import { toUserView, USER_VIEW_SELECT, type UserView } from './user-view';

/**
 * Deactivates (every session and access token revoked, sign-in refused, data kept) or reactivates a user. Admins cannot
 * deactivate themselves or the last active admin.
 */
export async function setUserActive({
  userId,
  active,
  actorId,
}: {
  userId: string;
  active: boolean;
  actorId: string;
}): Promise<UserView> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id: userId }, select: USER_VIEW_SELECT });
    if (!current) throw new AppError('NOT_FOUND', 'No such user.');
    if (!active) {
      if (userId === actorId) throw new AppError('CONFLICT', 'You cannot deactivate your own account.');
      if (current.roles.some((r) => r.role === 'admin')) await assertAdminRemains(tx, userId);
      await tx.session.deleteMany({ where: { userId } });
      // Revoked, not paused: reactivating someone must not bring old credentials back to life.
      await tx.accessToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    }
    const row = await tx.user.update({
      where: { id: userId },
      data: { deactivatedAt: active ? null : (current.deactivatedAt ?? new Date()) },
      select: USER_VIEW_SELECT,
    });
    return toUserView(row);
  });
}
