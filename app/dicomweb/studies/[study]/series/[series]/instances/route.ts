import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchInstances } from '@/lib/dicomweb/qido-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** QIDO-RS SearchForInstances within a series. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ req, params }) => qidoResponse(await searchInstances(params.study, params.series, new URL(req.url).searchParams)));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
