import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS RetrieveMetadata for every instance of a series (what viewers load first), as DICOM JSON. */
export const GET = withAuth<{ study: string; series: string }>(
  async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study, series: params.series })),
  DICOMWEB_READ,
);
