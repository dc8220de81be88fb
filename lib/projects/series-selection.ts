import { getDb } from '@/lib/db/client';
import { storedSeriesRule, type SeriesSelection } from './series-rule.client';

/**
 * Which series a project labels: its rule, and the choices its managers made by hand, for one of
 * its studies or (no `studyId`) all of them.
 */
export async function findSeriesSelection(projectId: string, studyId?: string): Promise<SeriesSelection> {
  const db = getDb();
  const [project, choices] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { modalities: true, seriesDescription: true } }),
    db.projectSeriesChoice.findMany({ where: { projectId, ...(studyId ? { studyId } : {}) }, select: { toLabel: true, series: { select: { seriesInstanceUid: true } } } }),
  ]);
  return { rule: storedSeriesRule(project), choices: Object.fromEntries(choices.map((c) => [c.series.seriesInstanceUid, c.toLabel])) };
}
