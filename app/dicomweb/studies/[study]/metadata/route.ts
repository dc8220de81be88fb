import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { dicomJsonResponse } from '@/lib/dicomweb/dicom-json-response';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS RetrieveMetadata for every instance of a study, as DICOM JSON. */
export const GET = withAuth<{ study: string }>(async ({ params }) => dicomJsonResponse(await retrieveMetadata({ study: params.study })), DICOMWEB_READ);
