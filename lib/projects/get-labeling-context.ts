import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from './project-access';
import type { SeriesSelection } from './series-rule.client';
import { findSeriesSelection } from './series-selection';

/**
 * The project a study is opened in, to label (the user reads in it) or to review (the user reviews
 * in it), with the series of the study it labels, when the study belongs to it; null otherwise (the viewer then only views).
 */
export async function getLabelingContext(
  user: Pick<SessionUser, 'id' | 'roles'>,
  projectId: string,
  studyId: string,
  mode: 'label' | 'review',
): Promise<{ projectId: string; projectName: string; mode: 'label' | 'review'; seriesSelection: SeriesSelection } | null> {
  try {
    const access = await requireProjectAccess(user, projectId, mode === 'label' ? 'reader' : 'reviewer');
    const item = await getDb().projectStudy.findUnique({ where: { projectId_studyId: { projectId: access.projectId, studyId } }, include: { project: { select: { name: true } } } });
    return item ? { projectId, projectName: item.project.name, mode, seriesSelection: await findSeriesSelection(projectId, studyId) } : null;
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND') || isAppError(err, 'FORBIDDEN')) return null;
    throw err;
  }
}
