import { AREAS } from '@/lib/auth/areas';
import { withAuth } from '@/lib/http/with-auth';
import { modelEditsCsv, modelEditStats } from '@/lib/inference/proposal-edits';

/** How much readers changed a model's proposals: per-class statistics, or `?format=csv` every measurement. */
export const GET = withAuth<{ modelName: string }>(
  async ({ req, params }) => {
    if (!/^[a-z][a-z0-9-]{1,63}$/.test(params.modelName)) return Response.json({ error: 'NOT_FOUND', message: 'No such model.' }, { status: 404 });
    if (new URL(req.url).searchParams.get('format') === 'csv') {
      return new Response(await modelEditsCsv(params.modelName), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${params.modelName}-edits.csv"` },
      });
    }
    return Response.json({ classes: await modelEditStats(params.modelName) });
  },
  { roles: [...AREAS.models.roles] },
);
