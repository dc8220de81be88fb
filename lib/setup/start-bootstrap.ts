import { env } from '@/lib/config/env';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { recoverIngestJournal } from '@/lib/dicom/ingest-journal';
import { listModels } from '@/lib/inference/registry';
import { getIpfs } from '@/lib/ipfs/get-ipfs';
import { requeueInterruptedJobs } from '@/lib/jobs/job-queue';
import { startJobRunner } from '@/lib/jobs/job-runner';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';
import { log } from '@/lib/log/logger';
import { sweepUploads } from '@/lib/uploads/upload-session';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { bootstrap, formatBootstrapReport } from './bootstrap';
import { setBootstrapState } from './bootstrap-state';

const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 60_000;

/**
 * Server start-up (instrumentation.ts). Waits for bootstrap when the database answers; when it does
 * not, the server still starts (health reports the database down) and bootstrap retries with backoff.
 */
export async function startBootstrap(): Promise<void> {
  setBootstrapState({ status: 'pending' });
  void checkModels();
  await attempt(RETRY_MIN_MS);
}

/**
 * Jobs a previous run of the server left running go back to the queue (or fail after three tries),
 * then the runner starts taking them. One server process runs jobs (the default deployment).
 */
async function startJobs() {
  const { requeued, failed } = await requeueInterruptedJobs();
  if (requeued || failed) log.info('jobs interrupted by the last shutdown', { requeued, failed });
  startJobRunner();
}

/**
 * Starts the IPFS node at boot rather than at the first request, so it serves published datasets to
 * peers from the start and the gateway's first answer does not wait for Helia to load.
 */
async function startIpfsNode() {
  try {
    const info = await (await getIpfs()).info();
    log.info(`IPFS ${info.backend} node ready`, { peerId: info.peerId, multiaddrs: info.multiaddrs });
  } catch (err) {
    log.error('the IPFS node could not start; publishing and the gateway will fail until it can', { err: (err as Error).message });
  }
}

/** Loads and verifies every model at start (hash, graph, a dummy run), saying which cannot run and why. */
async function checkModels() {
  try {
    for (const model of await listModels()) {
      if (model.status === 'ready') log.info(`model ${model.name} ready`, { sha256: model.sha256 });
      else log.error(`model ${model.name} cannot run`, { problems: model.problems });
    }
  } catch (err) {
    log.error('the model registry could not be read', { err: (err as Error).message });
  }
}

/**
 * Signs a checkpoint now and then every COHORT_CHECKPOINT_MINUTES, so the ledger's state is fixed
 * regularly even when no dataset is published (createCheckpoint does nothing if it has not grown).
 */
function scheduleCheckpoints() {
  if (env.COHORT_CHECKPOINT_MINUTES === 0) return;
  const sign = () =>
    createCheckpoint().catch((err: unknown) => log.warn('scheduled ledger checkpoint failed', { err: (err as Error).message }));
  void sign();
  setInterval(sign, env.COHORT_CHECKPOINT_MINUTES * 60_000).unref();
}

/**
 * Hourly: temp files of uploads that died more than an hour ago, resumable uploads abandoned for a
 * day, and blobs of ingests whose process was killed (bootstrap does the same at start, but another process, such as the CLI, may crash later).
 */
function scheduleCleanup() {
  const clean = async () => {
    try {
      await getBlobStore().sweepTemp();
      await recoverIngestJournal();
      await sweepUploads();
    } catch (err) {
      log.warn('blob store clean-up failed', { err: (err as Error).message });
    }
  };
  setInterval(() => void clean(), 60 * 60_000).unref();
}

async function attempt(nextDelayMs: number): Promise<void> {
  try {
    const report = await bootstrap();
    setBootstrapState({ status: 'ready', at: new Date() });
    await startJobs();
    void startIpfsNode();
    scheduleCheckpoints();
    scheduleCleanup();
    const banner = formatBootstrapReport(report);
    if (banner) process.stdout.write(`\n${banner}\n\n`);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    setBootstrapState({ status: 'failed', error, at: new Date() });
    if (isDatabaseUnavailable(err)) {
      log.error(`database unreachable at start-up; retrying in ${nextDelayMs / 1000}s`, { err: error.message });
      setTimeout(() => void attempt(Math.min(nextDelayMs * 2, RETRY_MAX_MS)), nextDelayMs).unref();
    } else {
      log.error('start-up failed; fix the cause and restart Cohort', { err: error.message });
    }
  }
}
