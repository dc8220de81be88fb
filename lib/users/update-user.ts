import { ROLE_LABELS } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { notifyUser } from '@/lib/notifications/notify-user';
import { assertAdminRemains } from './assert-admin-remains';
import type { UpdateUserInput } from './schemas';
import { toUserView, USER_VIEW_SELECT, type UserView } from './user-view';

/** Renames a user and/or replaces their roles; the user is told when their roles change. */
export async function updateUser({
  userId,
  input,
  actorId,
}: {
  userId: string;
  input: UpdateUserInput;
  actorId: string;
}): Promise<UserView> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id: userId }, select: USER_VIEW_SELECT });
    if (!current) throw new AppError('NOT_FOUND', 'No such user.');
    const before = current.roles.map((r) => r.role);
    const roles = input.roles;
    if (roles) {
      if (before.includes('admin') && !roles.includes('admin')) {
        if (userId === actorId) throw new AppError('CONFLICT', 'You cannot remove your own admin role.');
        await assertAdminRemains(tx, userId);
      }
      const removed = before.filter((r) => !(roles as string[]).includes(r));
      const added = roles.filter((r) => !before.includes(r));
      await tx.userRole.deleteMany({ where: { userId, role: { in: removed } } });
      if (added.length) await tx.userRole.createMany({ data: added.map((role) => ({ userId, role, grantedById: actorId })) });
      if (removed.length || added.length) {
        await notifyUser(tx, userId, {
          kind: 'account',
          title: 'Your roles changed',
          body: `You now have: ${roles.map((r) => ROLE_LABELS[r]).join(', ')}.`,
          href: '/',
        });
      }
    }
    const row = await tx.user.update({
      where: { id: userId },
      data: input.name !== undefined ? { name: input.name } : {},
      select: USER_VIEW_SELECT,
    });
    return toUserView(row);
  });
}
