import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS RetrieveMetadata of one instance, as DICOM JSON. */
export const GET = withStudyRead<{ study: string; series: string; instance: string }>(
  async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series, instance: params.instance })));
