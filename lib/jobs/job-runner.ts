import { spawn } from 'node:child_process';
import path from 'node:path';
import { getDb } from '@/lib/db/client';
import { log } from '@/lib/log/logger';
import { claimNextJob, finishJob } from './job-queue';

/** Jobs run one at a time: a model run uses every core already. */
const CONCURRENCY = 1;
const POLL_MS = 2_000;
const STDERR_TAIL = 2_000;

/** `timer` is set once startJobRunner ran: only a process that runs jobs (the server) takes them. */
type Runner = { running: number; timer: NodeJS.Timeout | null; ticking: boolean };

function runner(): Runner {
  const g = globalThis as { __cohortJobRunner?: Runner };
  g.__cohortJobRunner ??= { running: 0, timer: null, ticking: false };
  return g.__cohortJobRunner;
}

/** Starts taking queued jobs (server start-up); each runs in a worker process (scripts/job-worker.ts). */
export function startJobRunner(): void {
  const r = runner();
  if (r.timer) return;
  r.timer = setInterval(() => void kickJobRunner(), POLL_MS);
  r.timer.unref();
  void kickJobRunner();
}

/** Looks for work now (after a job is queued), instead of at the next poll; nothing in a process that runs no jobs. */
export async function kickJobRunner(): Promise<void> {
  const r = runner();
  if (r.ticking || !r.timer) return;
  r.ticking = true;
  try {
    while (r.running < CONCURRENCY) {
      const id = await claimNextJob();
      if (!id) break;
      r.running++;
      void runClaimed(id).finally(() => {
        r.running--;
        void kickJobRunner();
      });
    }
  } catch (err) {
    log.warn('job runner could not claim a job', { err: (err as Error).message });
  } finally {
    r.ticking = false;
  }
}

/**
 * Jobs that need the server's own IPFS node (publishing: the embedded node holds its repository's
 * lock) run in this process; their work yields between steps. Everything else runs in a worker.
 */
const IN_PROCESS_KINDS = new Set(['publish']);

async function runClaimed(jobId: string): Promise<void> {
  const job = await getDb().job.findUnique({ where: { id: jobId }, select: { kind: true } }).catch(() => null);
  if (!job || !IN_PROCESS_KINDS.has(job.kind)) return runInWorker(jobId);
  try {
    const { runJob } = await import('./run-job');
    await runJob(jobId);
  } catch (err) {
    log.error('job failed', { jobId, err: (err as Error).stack ?? String(err) });
    await finishJob(jobId, 'failed', { error: 'The job failed on the server (its log says why).' }).catch(() => undefined);
  }
}

/** Runs the job in a child process; a worker that dies without finishing its job fails it, with why. */
export function runInWorker(jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(process.cwd(), 'scripts', 'job-worker.ts'), jobId], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('error', (err) => void fail(`The worker process could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      void fail(`The worker process stopped (${signal ?? `exit code ${code}`}). ${lastLine(stderr)}`.trim());
    });
    async function fail(reason: string) {
      log.error('job worker failed', { jobId, reason });
      // Only a job still running: the worker may have recorded its own failure before exiting.
      await finishJob(jobId, 'failed', { error: reason }).catch(() => undefined);
      resolve();
    }
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
