import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchInstances } from '@/lib/dicomweb/qido-rs';
import { withAuth } from '@/lib/http/with-auth';

/** QIDO-RS SearchForInstances within a series. */
export const GET = withAuth<{ study: string; series: string }>(
  async ({ req, params }) => qidoResponse(await searchInstances(params.study, params.series, new URL(req.url).searchParams)),
  DICOMWEB_READ,
);
