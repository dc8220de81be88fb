import { seriesMetadataResponse } from '@/lib/dicomweb/viewer-reads';
import { withShareLink } from '@/lib/share-links/with-share-link';

/** WADO-RS series metadata of the shared study, for the read-only viewer behind a share link. */
export const GET = withShareLink<{ token: string; study: string; series: string }>('view', async ({ params }) => seriesMetadataResponse(params));
