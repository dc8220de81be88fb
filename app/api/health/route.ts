import { checkHealth } from '@/lib/health/check-health';
import { withErrors } from '@/lib/http/with-auth';

export const dynamic = 'force-dynamic';

/** Public: load balancers and monitors call it without a session. 503 when a dependency is down. */
export const GET = withErrors(async () => {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
});
