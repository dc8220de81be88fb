import { z } from 'zod';
import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { enqueueJob, jobView, type JobView } from '@/lib/jobs/job-queue';
import { kickJobRunner } from '@/lib/jobs/job-runner';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { seriesSelectionWhere } from '@/lib/projects/series-rule-where';
import { findSeriesSelection } from '@/lib/projects/series-selection';
import { requireModel } from './registry';
import type { InferenceJobParams } from './run-inference-job';

export const ZStartPreannotationInput = z
  .object({
    /** By default the model attached to the project. */
    modelName: z.string().min(1).max(64).optional(),
    /** Only these series; by default every series the project labels (rule and choices by hand) that the model applies to and has not pre-annotated yet. */
    seriesInstanceUids: z.array(z.string().regex(/^[0-9.]{1,64}$/)).min(1).max(10_000).optional(),
    /** Only the series of these studies of the project. */
    studyIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
  })
  .strict();
export type StartPreannotationInput = z.infer<typeof ZStartPreannotationInput>;

/**
 * Queues one pre-annotation job per series: the series asked for, or every series of the project's
 * studies that it labels (its series rule, and series chosen or left out by hand), of a modality the
 * model takes, with no proposal from this model file yet; never a second job for a series while one
 * waits or runs. Managers of the project only.
 */
export async function startPreannotation(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, input: StartPreannotationInput): Promise<{ jobs: JobView[]; skipped: number }> {
  await requireProjectAccess(user, projectId, 'manage');
  const db = getDb();
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { modelName: true } });
  const modelName = input.modelName ?? project.modelName;
  if (!modelName) throw new AppError('BAD_REQUEST', 'No model is attached to the project: attach one, or name the model to run.');
  const model = await requireModel(modelName);
  const series = await db.series.findMany({
    where: {
      study: { projects: { some: { projectId } } },
      ...(input.studyIds ? { studyId: { in: input.studyIds } } : {}),
      // Series named in the request run whatever the project's series rule says; otherwise only those it labels.
      ...(input.seriesInstanceUids ? { seriesInstanceUid: { in: input.seriesInstanceUids } } : seriesSelectionWhere(await findSeriesSelection(projectId))),
    },
    select: { studyId: true, seriesInstanceUid: true, modality: true },
    orderBy: [{ studyId: 'asc' }, { seriesNumber: 'asc' }],
  });
  if (input.seriesInstanceUids) {
    const found = new Set(series.map((s) => s.seriesInstanceUid));
    const missing = input.seriesInstanceUids.filter((uid) => !found.has(uid));
    if (missing.length) throw new AppError('BAD_REQUEST', `Not series of this project's studies: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}`);
    const wrong = series.find((s) => !model.manifest.modalities.includes(s.modality));
    if (wrong) throw new AppError('BAD_REQUEST', `${model.manifest.title} is for ${model.manifest.modalities.join(', ')}; series ${wrong.seriesInstanceUid} is ${wrong.modality || 'of no modality'}.`);
  }
  const candidates = series.filter((s) => model.manifest.modalities.includes(s.modality));
  const [done, pending] = await Promise.all([
    db.aiProposal.findMany({ where: { projectId, modelSha256: model.sha256 }, select: { seriesInstanceUid: true } }),
    db.job.findMany({ where: { projectId, kind: 'inference', status: { in: ['queued', 'running'] } }, select: { params: true } }),
  ]);
  // Series asked for by name run again even with a proposal; none gets a second job while one waits.
  const busy = new Set([
    ...(input.seriesInstanceUids ? [] : done.map((p) => p.seriesInstanceUid)),
    ...pending.map((j) => JSON.parse(j.params) as InferenceJobParams).filter((p) => p.modelName === model.name).map((p) => p.seriesInstanceUid),
  ]);
  const todo = candidates.filter((s) => !busy.has(s.seriesInstanceUid));
  const ids = await db.$transaction(async (tx) => {
    const made: string[] = [];
    for (const s of todo) {
      const params: InferenceJobParams = { projectId, studyId: s.studyId, seriesInstanceUid: s.seriesInstanceUid, modelName: model.name };
      made.push(await enqueueJob('inference', params, user.id, { projectId, tx }));
    }
    return made;
  });
  const rows = await db.job.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } });
  return { jobs: rows.map((r) => jobView(r)), skipped: candidates.length - todo.length };
}

/**
 * After studies join a project: queues its attached model over their series, if it has one. The
 * studies are in whatever happens; why nothing could be queued (the model no longer passes its
 * checks, say) is returned for the page to show.
 */
export async function preannotateAddedStudies(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, studyIds: string[]): Promise<{ queued: number; problem?: string }> {
  const { modelName } = await getDb().project.findUniqueOrThrow({ where: { id: projectId }, select: { modelName: true } });
  if (!modelName || studyIds.length === 0) return { queued: 0 };
  try {
    const { jobs } = await startPreannotation(user, projectId, { modelName, studyIds });
    if (jobs.length) void kickJobRunner();
    return { queued: jobs.length };
  } catch (err) {
    if (err instanceof AppError) return { queued: 0, problem: `Pre-annotation was not queued: ${err.message}` };
    throw err;
  }
}

/** The project's pre-annotation jobs, newest first. */
export async function findProjectJobs(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, limit = 200): Promise<JobView[]> {
  await requireProjectAccess(user, projectId);
  const rows = await getDb().job.findMany({ where: { projectId, kind: 'inference' }, orderBy: { createdAt: 'desc' }, take: limit });
  return rows.map((r) => jobView(r));
}

/** How the project page names each series of the project's studies: "study · Se n · modality · description". */
export async function projectSeriesLabels(projectId: string): Promise<Record<string, string>> {
  const series = await getDb().series.findMany({
    where: { study: { projects: { some: { projectId } } } },
    select: { seriesInstanceUid: true, seriesNumber: true, modality: true, description: true, study: { select: { description: true } } },
  });
  return Object.fromEntries(
    series.map((s) => [s.seriesInstanceUid, [s.study.description || 'Study', s.seriesNumber !== null ? `Se ${s.seriesNumber}` : null, s.modality, s.description].filter(Boolean).join(' · ')]),
  );
}
