import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { retrieveInstances } from '@/lib/dicomweb/wado-rs';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS RetrieveInstance: the stored file, byte for byte, as multipart/related. */
export const GET = withAuth<{ study: string; series: string; instance: string }>(
  async ({ params }) => retrieveInstances({ study: params.study, series: params.series, instance: params.instance }),
  DICOMWEB_READ,
);
