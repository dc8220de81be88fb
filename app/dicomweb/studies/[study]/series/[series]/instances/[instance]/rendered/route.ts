import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS rendered instance: its first frame windowed to PNG (?window=center,width&viewport=w,h). */
export const GET = withStudyRead<{ study: string; series: string; instance: string }>(
  async ({ req, params }) =>
    renderedResponse({ study: params.study, series: params.series, instance: params.instance, query: new URL(req.url).searchParams, accept: req.headers.get('accept') }));
