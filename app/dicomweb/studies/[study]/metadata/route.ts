import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS RetrieveMetadata for every instance of a study, as DICOM JSON. */
export const GET = withStudyRead<{ study: string }>(async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study })));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
