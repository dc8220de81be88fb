import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { holdsImages } from '@/lib/dicom/holds-images.client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from './project-access';
import { findProjectStudySeries, requireStudyInProject, type ProjectSeriesView } from './study-series';

/**
 * A manager chooses, for one series of a project's study, over the project's series rule: label it
 * although the rule does not match it (`true`), leave it out although the rule does (`false`: a
 * motion-blurred reconstruction, a repeated acquisition), or let the rule decide again (`null`).
 * Readers' viewers and pre-annotation follow the choice from then on; labels already saved stay.
 */
export async function setSeriesChoice({
  user,
  projectId,
  studyId,
  seriesInstanceUid,
  toLabel,
}: {
  user: Pick<SessionUser, 'id' | 'roles'>;
  projectId: string;
  studyId: string;
  seriesInstanceUid: string;
  toLabel: boolean | null;
}): Promise<{ series: ProjectSeriesView[] }> {
  await requireProjectAccess(user, projectId, 'manage');
  const db = getDb();
  await requireStudyInProject(projectId, studyId);
  const series = await db.series.findFirst({ where: { seriesInstanceUid, studyId }, select: { id: true, modality: true } });
  if (!series) throw new AppError('NOT_FOUND', 'The study has no such series.');
  if (toLabel && !holdsImages(series.modality)) throw new AppError('BAD_REQUEST', `The ${series.modality} series holds no images to label.`);
  if (toLabel === null) await db.projectSeriesChoice.deleteMany({ where: { projectId, seriesId: series.id } });
  else await db.projectSeriesChoice.upsert({ where: { projectId_seriesId: { projectId, seriesId: series.id } }, create: { projectId, studyId, seriesId: series.id, toLabel, chosenById: user.id }, update: { toLabel, chosenById: user.id, chosenAt: new Date() } });
  return { series: await findProjectStudySeries(projectId, studyId) };
}
