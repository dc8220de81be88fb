import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS series thumbnail: its middle image, small, as PNG. */
export const GET = withAuth<{ study: string; series: string }>(
  async ({ req, params }) =>
    renderedResponse({ study: params.study, series: params.series, query: new URL(req.url).searchParams, accept: req.headers.get('accept'), thumbnail: true }),
  DICOMWEB_READ,
);
