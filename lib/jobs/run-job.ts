import { getDb } from '@/lib/db/client';
import { runPublishJob } from '@/lib/datasets/publish/run-publish-job';
import { runInferenceJob } from '@/lib/inference/run-inference-job';
import { finishJob } from './job-queue';

/** Runs a claimed job with its kind's handler; the handler records success or failure on the job. */
export async function runJob(jobId: string): Promise<void> {
  const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId }, select: { kind: true } });
  switch (job.kind) {
    case 'inference':
      return runInferenceJob(jobId);
    case 'publish':
      return runPublishJob(jobId);
    default:
      await finishJob(jobId, 'failed', { error: `No handler for jobs of kind "${job.kind}".` });
  }
}
