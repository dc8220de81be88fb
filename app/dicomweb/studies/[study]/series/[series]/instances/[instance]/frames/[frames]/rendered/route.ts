import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS rendered frame (one frame number): windowed to PNG (?window=center,width&viewport=w,h). */
export const GET = withStudyRead<{ study: string; series: string; instance: string; frames: string }>(
  async ({ req, params }) =>
    renderedResponse({
      study: params.study,
      series: params.series,
      instance: params.instance,
      frame: params.frames,
      query: new URL(req.url).searchParams,
      accept: req.headers.get('accept'),
    }));
