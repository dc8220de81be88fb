import { agreementCsv, projectAgreement } from '@/lib/annotations/project-agreement';
import { withAuth } from '@/lib/http/with-auth';
import { PROJECTS_READ } from '@/lib/projects/project-roles';

/** Inter-reader agreement as JSON, or `?format=csv` as a spreadsheet-ready download. */
export const GET = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  const agreement = await projectAgreement(user, params.projectId);
  if (new URL(req.url).searchParams.get('format') !== 'csv') return Response.json(agreement);
  return new Response(agreementCsv(agreement), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="agreement-${params.projectId}.csv"`, 'cache-control': 'no-store' },
  });
}, PROJECTS_READ);
