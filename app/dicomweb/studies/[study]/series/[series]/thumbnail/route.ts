import { seriesThumbnailResponse } from '@/lib/dicomweb/viewer-reads';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS series thumbnail: its middle image, small, as PNG. */
export const GET = withStudyRead<{ study: string; series: string }>(async ({ req, params }) => seriesThumbnailResponse(req, params));
