import { retrieveInstances } from '@/lib/dicomweb/wado-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS RetrieveSeries: every stored file of the series, as multipart/related. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ params }) => retrieveInstances({ study: params.study, series: params.series }));
