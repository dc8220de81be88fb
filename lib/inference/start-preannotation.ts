import { z } from 'zod';
import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { enqueueJob, jobView, type JobView } from '@/lib/jobs/job-queue';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { requireModel } from './registry';
import type { InferenceJobParams } from './run-inference-job';

export const ZStartPreannotationInput = z
  .object({
    modelName: z.string().min(1).max(64),
    /** Only these series; by default every series of the project the model applies to that it has not pre-annotated yet. */
    seriesInstanceUids: z.array(z.string().regex(/^[0-9.]{1,64}$/)).min(1).max(10_000).optional(),
  })
  .strict();
export type StartPreannotationInput = z.infer<typeof ZStartPreannotationInput>;

/**
 * Queues one pre-annotation job per series: the series asked for, or every series of the project's
 * studies of a modality the model takes that has no proposal from this model file yet; never a
 * second job for a series while one waits or runs. Managers of the project only.
 */
export async function startPreannotation(user: Pick<SessionUser, 'id' | 'roles'>, projectId: string, input: StartPreannotationInput): Promise<{ jobs: JobView[]; skipped: number }> {
  await requireProjectAccess(user, projectId, 'manage');
  const model = await requireModel(input.modelName);
  const db = getDb();
  const series = await db.series.findMany({
    where: { study: { projects: { some: { projectId } } }, ...(input.seriesInstanceUids ? { seriesInstanceUid: { in: input.seriesInstanceUids } } : {}) },
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
