import { seriesThumbnailResponse } from '@/lib/dicomweb/viewer-reads';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS series thumbnail: its middle image, small, as PNG. */
export const GET = withStudyRead<{ study: string; series: string }>(async ({ req, params }) => seriesThumbnailResponse(req, params));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
