import { seriesThumbnailResponse } from '@/lib/dicomweb/viewer-reads';
import { withShareLink } from '@/lib/share-links/with-share-link';

/** A series thumbnail of the shared study. */
export const GET = withShareLink<{ token: string; study: string; series: string }>('view', async ({ req, params }) => seriesThumbnailResponse(req, params));
