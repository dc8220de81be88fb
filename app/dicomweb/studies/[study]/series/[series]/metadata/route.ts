import { seriesMetadataResponse } from '@/lib/dicomweb/viewer-reads';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS RetrieveMetadata for every instance of a series (what viewers load first), as DICOM JSON. */
export const GET = withStudyRead<{ study: string; series: string }>(async ({ params }) => seriesMetadataResponse(params));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
