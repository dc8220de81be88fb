/**
 * One background job in its own process (started by lib/jobs/job-runner.ts): the web server stays
 * responsive while a model runs, and a crash here fails the job, not the server.
 *   node --import tsx scripts/job-worker.ts <job id>
 */
import { closeDb } from '../lib/db/client';
import { closeSessions } from '../lib/inference/session-pool';
import { runJob } from '../lib/jobs/run-job';

const jobId = process.argv[2];
if (!jobId) {
  console.error('usage: job-worker <job id>');
  process.exit(2);
}
try {
  await runJob(jobId);
} finally {
  await closeSessions();
  await closeDb();
}
