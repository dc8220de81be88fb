import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchSeries } from '@/lib/dicomweb/qido-rs';
import { withAuth } from '@/lib/http/with-auth';

/** QIDO-RS SearchForSeries within a study. */
export const GET = withAuth<{ study: string }>(
  async ({ req, params }) => qidoResponse(await searchSeries(params.study, new URL(req.url).searchParams)),
  { roles: ['radiologist', 'admin'] },
);
