import { containsInsensitive } from '@/lib/db/contains-insensitive';
import { getDb, type Prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { ACCESS_ROW_SELECT, withReaders, type AccessRow } from './access-rows';
import type { AccessLogQuery } from './schemas';

export const ACCESS_LOG_PAGE = 100;

/** The whole access log, filtered, newest first, a page at a time (admins). */
export async function findStudyAccesses(query: AccessLogQuery, take = ACCESS_LOG_PAGE): Promise<{ rows: AccessRow[]; next: string | null }> {
  const db = getDb();
  let cursor: Prisma.StudyAccessWhereInput = {};
  if (query.after) {
    const last = await db.studyAccess.findUnique({ where: { id: query.after }, select: { at: true, id: true } });
    if (!last) throw new AppError('BAD_REQUEST', 'That page of the log no longer exists: start from the first.');
    cursor = { OR: [{ at: { lt: last.at } }, { at: last.at, id: { lt: last.id } }] };
  }
  const found = await db.studyAccess.findMany({
    where: { AND: [accessLogWhere(query), cursor] },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: take + 1,
    select: ACCESS_ROW_SELECT,
  });
  const rows = await withReaders(found.slice(0, take));
  return { rows, next: found.length > take ? rows.at(-1)!.id : null };
}

/** The filters as a Prisma condition (the CSV export uses the same). */
export function accessLogWhere({ study, user, how, outcome, from, to }: AccessLogQuery): Prisma.StudyAccessWhereInput {
  const at: Prisma.DateTimeFilter = {};
  if (from) at.gte = new Date(`${from}T00:00:00.000Z`);
  if (to) at.lt = new Date(Date.parse(`${to}T00:00:00.000Z`) + 24 * 3600 * 1000);
  return {
    ...(study ? { OR: [{ studyInstanceUid: study }, { studyId: study }] } : {}),
    ...(user ? { user: { OR: [{ name: containsInsensitive(user) }, { email: containsInsensitive(user) }] } } : {}),
    ...(how ? { how } : {}),
    ...(outcome ? { outcome } : {}),
    ...(from || to ? { at } : {}),
  };
}
