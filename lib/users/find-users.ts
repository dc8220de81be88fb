import { getDb, type Prisma } from '@/lib/db/client';
import { containsInsensitive } from '@/lib/db/contains-insensitive';
import type { FindUsersQuery } from './schemas';
import { toUserView, USER_VIEW_SELECT, type UserView } from './user-view';

export const USERS_PAGE_SIZE = 200;

/** Users matching a name/email fragment, role and status, newest first. */
export async function findUsers(query: FindUsersQuery = {}): Promise<UserView[]> {
  const where: Prisma.UserWhereInput = {};
  if (query.q) where.OR = [{ name: containsInsensitive(query.q) }, { email: containsInsensitive(query.q) }];
  if (query.role) where.roles = { some: { role: query.role } };
  if (query.status) where.deactivatedAt = query.status === 'active' ? null : { not: null };
  const rows = await getDb().user.findMany({
    where,
    select: USER_VIEW_SELECT,
    orderBy: { createdAt: 'desc' },
    take: USERS_PAGE_SIZE,
  });
  return rows.map(toUserView);
}
