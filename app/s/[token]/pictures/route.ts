import { withShareLink } from '@/lib/share-links/with-share-link';
import { archiveResponse } from '@/lib/studies/archive-response';
import { studyImagesArchive } from '@/lib/studies/study-images-archive';

/** The shared study as PNG pictures in a zip, for whoever holds the link. */
export const GET = withShareLink<{ token: string }>('download', async ({ req, link }) => archiveResponse(await studyImagesArchive(link.studyId), req.signal));
