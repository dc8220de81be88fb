import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';
import { crossOriginReadPreflight } from '@/lib/http/cross-origin-reads';

/** WADO-RS rendered instance: its first frame windowed to PNG (?window=center,width&viewport=w,h). */
export const GET = withStudyRead<{ study: string; series: string; instance: string }>(
  async ({ req, params }) =>
    renderedResponse({ study: params.study, series: params.series, instance: params.instance, query: new URL(req.url).searchParams, accept: req.headers.get('accept') }));

/** CORS preflight for web apps allowed to read with a token (COHORT_DICOMWEB_ORIGINS). */
export const OPTIONS = crossOriginReadPreflight;
