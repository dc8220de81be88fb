import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchSeries } from '@/lib/dicomweb/qido-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** QIDO-RS SearchForSeries within a study. */
export const GET = withStudyRead<{ study: string }>(
  async ({ req, params }) => qidoResponse(await searchSeries(params.study, new URL(req.url).searchParams)));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
