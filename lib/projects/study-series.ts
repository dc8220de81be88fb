import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjectAccess } from './project-access';
import { holdsImages } from '@/lib/dicom/holds-images.client';
import { findSeriesSelection } from './series-selection';
import { matchesSeriesRule, selectsSeries } from './series-rule.client';

/** One series of a project's study, as its page lists it: whether the project labels it, and why. */
export type ProjectSeriesView = {
  seriesInstanceUid: string;
  number: number | null;
  modality: string;
  description: string;
  instanceCount: number;
  /** Structured reports, presentation states, SEGs: nothing to draw or label. */
  holdsImages: boolean;
  /** Whether the project's series rule matches it. */
  matchesRule: boolean;
  /** A manager's choice for it over the rule (label it, leave it out); null: the rule decides. */
  choice: boolean | null;
  /** Whether the project labels it: the choice, else the rule. */
  toLabel: boolean;
};

/** The series of one of a project's studies, in study order, with what the project does with each. */
export async function findProjectStudySeries(projectId: string, studyId: string): Promise<ProjectSeriesView[]> {
  const [selection, series] = await Promise.all([
    findSeriesSelection(projectId, studyId),
    getDb().series.findMany({
      where: { studyId },
      select: { seriesInstanceUid: true, seriesNumber: true, modality: true, description: true, instanceCount: true },
      orderBy: [{ seriesNumber: 'asc' }, { seriesInstanceUid: 'asc' }],
    }),
  ]);
  return series.map((s) => {
    const images = holdsImages(s.modality);
    return {
      seriesInstanceUid: s.seriesInstanceUid,
      number: s.seriesNumber,
      modality: s.modality,
      description: s.description,
      instanceCount: s.instanceCount,
      holdsImages: images,
      matchesRule: matchesSeriesRule(selection.rule, s),
      choice: selection.choices[s.seriesInstanceUid] ?? null,
      toLabel: images && selectsSeries(selection, s),
    };
  });
}

/** The same, for a user who may see the project: GET /api/projects/{id}/studies/{studyId}/series. */
export async function getProjectStudySeries(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, studyId: string): Promise<{ series: ProjectSeriesView[] }> {
  await requireProjectAccess(user, projectId);
  await requireStudyInProject(projectId, studyId);
  return { series: await findProjectStudySeries(projectId, studyId) };
}

/** NOT_FOUND unless the study is one of the project's. */
export async function requireStudyInProject(projectId: string, studyId: string): Promise<void> {
  if (!(await getDb().projectStudy.count({ where: { projectId, studyId } }))) throw new AppError('NOT_FOUND', 'The study is not in this project.');
}
