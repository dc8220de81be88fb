import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS RetrieveMetadata for every instance of a series (what viewers load first), as DICOM JSON. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series })));
