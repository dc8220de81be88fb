import { getDb } from '@/lib/db/client';
import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { AppError } from '@/lib/errors/app-error';

/** A small PNG of one of the patient's own studies (the middle image of its first series); anyone else's is NOT_FOUND. */
export async function myStudyThumbnail({ userId, studyId }: { userId: string; studyId: string }): Promise<Response> {
  const study = await getDb().study.findFirst({
    where: { id: studyId, patient: { link: { userId } } },
    select: { studyInstanceUid: true, series: { orderBy: [{ seriesNumber: 'asc' }, { id: 'asc' }], take: 1, select: { seriesInstanceUid: true } } },
  });
  const series = study?.series[0];
  if (!study || !series) throw new AppError('NOT_FOUND', 'No such study among yours.');
  return renderedResponse({ study: study.studyInstanceUid, series: series.seriesInstanceUid, query: new URLSearchParams(), accept: null, thumbnail: true });
}
