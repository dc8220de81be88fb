import { retrieveInstances } from '@/lib/dicomweb/wado-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS RetrieveSeries: every stored file of the series, as multipart/related. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ params }) => retrieveInstances({ study: params.study, series: params.series }));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
