import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS series thumbnail: its middle image, small, as PNG. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ req, params }) =>
    renderedResponse({ study: params.study, series: params.series, query: new URL(req.url).searchParams, accept: req.headers.get('accept'), thumbnail: true }));
