import { findStudyAccesses } from '@/lib/access-log/find-study-accesses';
import { ZAccessLogQuery } from '@/lib/access-log/schemas';
import { studyAccessesCsv } from '@/lib/access-log/study-accesses-csv';
import { withAuth } from '@/lib/http/with-auth';

/** The study access log, filtered: a page of JSON, or `?format=csv` every matching row (oldest first). */
export const GET = withAuth(
  async ({ req }) => {
    const params = new URL(req.url).searchParams;
    const query = ZAccessLogQuery.parse(Object.fromEntries([...params].filter(([key]) => key !== 'format')));
    if (params.get('format') === 'csv') {
      return new Response(studyAccessesCsv(query), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="cohort-access-log-${new Date().toISOString().slice(0, 10)}.csv"`, 'cache-control': 'no-store' },
      });
    }
    const { rows, next } = await findStudyAccesses(query);
    return Response.json({ accesses: rows.map(toJson), next });
  },
  { roles: ['admin'] },
);

function toJson(r: Awaited<ReturnType<typeof findStudyAccesses>>['rows'][number]) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    outcome: r.outcome,
    how: r.how,
    actor: r.actor,
    user: r.user,
    role: r.role,
    accessTokenId: r.accessTokenId,
    actorRef: r.actorRef,
    studyId: r.studyId,
    studyInstanceUid: r.studyInstanceUid,
    seriesInstanceUid: r.seriesInstanceUid,
    requests: r.requests,
    address: r.address,
  };
}
