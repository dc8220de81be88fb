import { renderedResponse } from '@/lib/dicomweb/wado-rendered';
import { AppError } from '@/lib/errors/app-error';
import { requireMyStudy } from './require-my-study';

/** A small PNG of one of the patient's own studies (the middle image of its first series); anyone else's is NOT_FOUND. The patient's own looks are not logged: the portal shows them on every visit. */
export async function myStudyThumbnail({ userId, studyId }: { userId: string; studyId: string }): Promise<Response> {
  const study = await requireMyStudy({
    userId,
    studyId,
    how: 'view',
    select: { studyInstanceUid: true, series: { orderBy: [{ seriesNumber: 'asc' }, { id: 'asc' }], take: 1, select: { seriesInstanceUid: true } } },
  });
  const series = study.series[0];
  if (!series) throw new AppError('NOT_FOUND', 'This study has no images yet.');
  return renderedResponse({ study: study.studyInstanceUid, series: series.seriesInstanceUid, query: new URLSearchParams(), accept: null, thumbnail: true });
}
