import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchSeries } from '@/lib/dicomweb/qido-rs';
import { withAuth } from '@/lib/http/with-auth';

/** QIDO-RS SearchForSeries within a study. */
export const GET = withAuth<{ study: string }>(
  async ({ req, params }) => qidoResponse(await searchSeries(params.study, new URL(req.url).searchParams)),
  DICOMWEB_READ,
);
