import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS RetrieveMetadata of one instance, as DICOM JSON. */
export const GET = withStudyRead<{ study: string; series: string; instance: string }>(
  async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series, instance: params.instance })));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
