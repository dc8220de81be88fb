import { DICOMWEB_READ } from '@/lib/dicomweb/dicomweb-access';
import { retrieveInstances } from '@/lib/dicomweb/wado-rs';
import { withAuth } from '@/lib/http/with-auth';

/** WADO-RS RetrieveSeries: every stored file of the series, as multipart/related. */
export const GET = withAuth<{ study: string; series: string }>(
  async ({ params }) => retrieveInstances({ study: params.study, series: params.series }),
  DICOMWEB_READ,
);
