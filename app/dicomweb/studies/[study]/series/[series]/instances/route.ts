import { qidoResponse } from '@/lib/dicomweb/qido-response';
import { searchInstances } from '@/lib/dicomweb/qido-rs';
import { withStudyRead } from '@/lib/dicomweb/with-study-read';

/** QIDO-RS SearchForInstances within a series. */
export const GET = withStudyRead<{ study: string; series: string }>(
  async ({ req, params }) => qidoResponse(await searchInstances(params.study, params.series, new URL(req.url).searchParams)));
