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
  if (job.status === 'running' || job.status === 'done') throw new AppError('CONFLICT', `This import is ${job.status}.`);
  if (source.baseUrl !== job.sourceUrl) throw new AppError('BAD_REQUEST', `This import reads from ${job.sourceUrl}.`);
  void runImportJob(job.id, source, options);
  return { ...job, status: 'running' };
}
