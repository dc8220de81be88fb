import { retrieveBulkData } from '@/lib/dicomweb/wado-bulkdata';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS bulk data: a binary attribute's value, at the BulkDataURI the metadata gave. */
export const GET = withStudyRead<{ study: string; series: string; instance: string; path: string[] }>(async ({ params }) => retrieveBulkData(params));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
