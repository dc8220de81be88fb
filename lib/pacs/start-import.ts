import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { ClientOptions } from './dicomweb-client';
import { runImportJob } from './run-import-job';
import type { DicomWebSource, StartImportInput } from './schemas';

/** Creates an import job and starts it in the background; returns the job at once (poll it for progress). */
export async function startImport({ source, studyInstanceUids }: StartImportInput, actorUserId: string, options: ClientOptions = {}) {
  const uids = [...new Set(studyInstanceUids)];
  const job = await getDb().importJob.create({
    data: { sourceUrl: source.baseUrl, studyUids: JSON.stringify(uids), studiesTotal: uids.length, createdById: actorUserId },
  });
  void runImportJob(job.id, source, options);
  return job;
}

/** Goes on with a failed or interrupted job from its first study not done, with the source's credentials given again. */
export async function resumeImport(jobId: string, source: DicomWebSource, options: ClientOptions = {}) {
  const job = await getDb().importJob.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError('NOT_FOUND', 'No such import.');
  if (source.baseUrl !== job.sourceUrl) throw new AppError('BAD_REQUEST', `This import reads from ${job.sourceUrl}.`);
  // Claimed in the database before answering: a poll right after sees it queued, never still
  // interrupted, and of two resumes racing (even in two processes) only one starts a runner.
  const { count } = await getDb().importJob.updateMany({
    where: { id: jobId, status: { in: ['failed', 'interrupted'] } },
    data: { status: 'queued', error: null },
  });
  if (count === 0) throw new AppError('CONFLICT', `This import is ${(await getDb().importJob.findUniqueOrThrow({ where: { id: jobId } })).status}.`);
  void runImportJob(job.id, source, options);
  return { ...job, status: 'queued', error: null };
}
