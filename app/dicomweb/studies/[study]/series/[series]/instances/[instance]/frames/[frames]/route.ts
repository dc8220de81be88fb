import { retrieveFrames } from '@/lib/dicomweb/wado-frames';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** WADO-RS RetrieveFrames: /frames/1 or /frames/1,3,5 (what Cornerstone's wadors loader asks for). */
export const GET = withStudyRead<{ study: string; series: string; instance: string; frames: string }>(
  async ({ req, params }) =>
    retrieveFrames({
      study: params.study,
      series: params.series,
      instance: params.instance,
      frames: params.frames.split(',').map((n) => Number(n.trim())),
      accept: req.headers.get('accept'),
    }));
