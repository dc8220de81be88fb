import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { AppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';
import { retrieveRemoteStudy, type ClientOptions } from './dicomweb-client';
import type { DicomWebSource } from './schemas';

/** Jobs running in this process: a job is run by one runner at a time. */
const running = new Set<string>();

/**
 * Runs an import job: each study not yet done is retrieved over WADO-RS and ingested as it streams
 * in (one transaction per batch, so a study is stored whole or not at all); progress is saved after
 * each study. A failure stops the job with the reason; studies already imported stay, and resuming
 * goes on from the first study not done (storing is idempotent, so a study cut short is simply redone).
 */
export async function runImportJob(jobId: string, source: DicomWebSource, options: ClientOptions = {}): Promise<void> {
  if (running.has(jobId)) throw new AppError('CONFLICT', 'This import is already running.');
  running.add(jobId);
  const db = getDb();
  try {
    const job = await db.importJob.update({ where: { id: jobId }, data: { status: 'running', error: null } });
    const uids = JSON.parse(job.studyUids) as string[];
    for (let i = job.studiesDone; i < uids.length; i++) {
      const outcomes = await ingestFiles(retrieveRemoteStudy(source, uids[i]!, options), { actorUserId: job.createdById ?? 'system' });
      const count = (status: string) => outcomes.filter((o) => o.status === status).length;
      await db.importJob.update({
        where: { id: jobId },
        data: {
          studiesDone: i + 1,
          instancesStored: { increment: count('stored') },
          instancesDuplicate: { increment: count('duplicate') },
          instancesRejected: { increment: count('rejected') },
        },
      });
    }
    await db.importJob.update({ where: { id: jobId }, data: { status: 'done' } });
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'The import failed on Cohort\'s side; see the server log.';
    if (!(err instanceof AppError)) log.error('PACS import failed', { jobId, err: (err as Error).message });
    await db.importJob.update({ where: { id: jobId }, data: { status: 'failed', error: message } }).catch(() => {});
  } finally {
    running.delete(jobId);
  }
}

/** At start-up: jobs a restart cut off wait for someone to resume them (their credentials are gone). */
export async function markInterruptedImports(): Promise<number> {
  const { count } = await getDb().importJob.updateMany({
    where: { status: { in: ['queued', 'running'] } },
    data: { status: 'interrupted', error: 'Cohort restarted while this import ran: resume it to go on.' },
  });
  return count;
}
