import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchSeries } from '@/lib/dicomweb/qido-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** QIDO-RS SearchForSeries within a study. */
export const GET = withStudyRead<{ study: string }>(
  async ({ req, params }) => qidoResponse(await searchSeries(params.study, new URL(req.url).searchParams)));
