import { framesResponse } from '@/lib/dicomweb/viewer-reads';
import { withShareLink } from '@/lib/share-links/with-share-link';

/** WADO-RS frames of the shared study: what the viewer behind a share link draws. */
export const GET = withShareLink<{ token: string; study: string; series: string; instance: string; frames: string }>('view', async ({ req, params }) => framesResponse(req, params));
