import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { toUserView, USER_VIEW_SELECT, type UserView } from './user-view';

export async function getUser(userId: string): Promise<UserView> {
  const row = await getDb().user.findUnique({ where: { id: userId }, select: USER_VIEW_SELECT });
  if (!row) throw new AppError('NOT_FOUND', 'No such user.');
  return toUserView(row);
}
