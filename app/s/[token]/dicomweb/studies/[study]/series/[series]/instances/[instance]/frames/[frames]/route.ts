import { retrieveFrames } from '@/lib/dicomweb/wado-frames';
import { withShareLink } from '@/lib/share-links/with-share-link';

/** WADO-RS frames of the shared study: what the viewer behind a share link draws. */
export const GET = withShareLink<{ token: string; study: string; series: string; instance: string; frames: string }>('view', async ({ req, params }) =>
  retrieveFrames({
    study: params.study,
    series: params.series,
    instance: params.instance,
    frames: params.frames.split(',').map((n) => Number(n.trim())),
    accept: req.headers.get('accept'),
  }),
);
