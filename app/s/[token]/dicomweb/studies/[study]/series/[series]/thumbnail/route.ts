import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withShareLink } from '@/lib/share-links/with-share-link';

/** A series thumbnail of the shared study (its middle image, small, as PNG). */
export const GET = withShareLink<{ token: string; study: string; series: string }>('view', async ({ req, params }) =>
  renderedResponse({ study: params.study, series: params.series, query: new URL(req.url).searchParams, accept: req.headers.get('accept'), thumbnail: true }),
);
