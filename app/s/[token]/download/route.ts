import { withShareLink } from '@/lib/share-links/with-share-link';
import { archiveResponse } from '@/lib/studies/archive-response';
import { studyArchive } from '@/lib/studies/study-archive';

/** The shared study as a zip of its original DICOM files with a DICOMDIR, for whoever holds the link. */
export const GET = withShareLink<{ token: string }>('download', async ({ req, link }) => archiveResponse(await studyArchive(link.studyId), req.signal));
