import { getDb } from '@/lib/db/client';
import { csvLine, spreadsheetText } from '@/lib/format/csv';
import { ACCESS_ROW_SELECT, withReaders } from './access-rows';
import { describeReader } from './describe-access';
import { accessLogWhere } from './find-study-accesses';
import type { AccessLogQuery } from './schemas';

const COLUMNS = ['time', 'outcome', 'how', 'reader', 'user_email', 'role', 'access_token_id', 'actor_ref', 'study_instance_uid', 'series_instance_uid', 'study_id', 'requests', 'address'];
const BATCH = 1_000;

/** The filtered log as CSV, oldest first, read and sent a thousand rows at a time (no limit, no buffering). */
export function studyAccessesCsv(query: AccessLogQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = accessLogWhere(query);
  let after: { at: Date; id: string } | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(COLUMNS)));
      }
      const page = await withReaders(
        await getDb().studyAccess.findMany({
          where: after ? { AND: [where, { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] }] } : where,
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
          take: BATCH,
          select: ACCESS_ROW_SELECT,
        }),
      );
      const text = page
        .map((r) =>
          csvLine([r.at.toISOString(), r.outcome, r.how, spreadsheetText(describeReader(r)), spreadsheetText(r.user?.email ?? ''), r.role, r.accessTokenId, r.actorRef, r.studyInstanceUid, r.seriesInstanceUid, r.studyId, r.requests, r.address]),
        )
        .join('');
      if (text) controller.enqueue(encoder.encode(text));
      const last = page.at(-1);
      if (page.length < BATCH || !last) controller.close();
      else after = { at: last.at, id: last.id };
    },
  });
}
