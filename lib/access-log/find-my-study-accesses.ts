import { getDb } from '@/lib/db/client';
import type { AccessHow } from './access-event';
import { ACCESS_ROW_SELECT, withReaders } from './access-rows';
import { describeReader } from './describe-access';

export type MyStudyAccess = {
  studyId: string;
  /** The day (UTC, YYYY-MM-DD) the reads happened. */
  day: string;
  who: string;
  how: AccessHow;
  /** Requests that day (a viewer asks for many images at once). */
  requests: number;
  lastAt: string;
};

/** Rows read for the portal: enough for a year of an ordinary patient's care. */
const MAX_ROWS = 5_000;

/**
 * Who read the patient's studies, newest first: one line per study, reader, way and day. Only reads
 * that were allowed: a refused attempt read nothing, and would name someone else's account.
 */
export async function findMyStudyAccesses(userId: string): Promise<MyStudyAccess[]> {
  const rows = await withReaders(
    await getDb().studyAccess.findMany({
      where: { outcome: 'allowed', study: { patient: { link: { userId } } } },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: MAX_ROWS,
      select: ACCESS_ROW_SELECT,
    }),
  );
  const lines = new Map<string, MyStudyAccess>();
  for (const row of rows) {
    const day = row.at.toISOString().slice(0, 10);
    const who = describeReader(row, userId);
    const key = [row.studyId, day, who, row.how].join('\u0000');
    const line = lines.get(key);
    if (line) line.requests += row.requests;
    else lines.set(key, { studyId: row.studyId!, day, who, how: row.how as AccessHow, requests: row.requests, lastAt: row.at.toISOString() });
  }
  return [...lines.values()];
}
