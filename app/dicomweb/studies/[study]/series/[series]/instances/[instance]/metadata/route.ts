import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS RetrieveMetadata of one instance, as DICOM JSON. */
export const GET = withAuth<{ study: string; series: string; instance: string }>(
  async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series, instance: params.instance })),
  DICOMWEB_READ,
);
