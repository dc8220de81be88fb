import { getDb, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

export type JobKind = 'inference' | 'publish';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type JobView = {
  id: string;
  kind: JobKind;
  projectId: string | null;
  status: JobStatus;
  params: unknown;
  result: unknown;
  done: number;
  total: number;
  message: string;
  error: string | null;
  cancelRequested: boolean;
  attempts: number;
  createdById: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds left at the rate so far, once there is a rate. */
  etaSeconds: number | null;
};

/** How often a job may be interrupted by a restart before it is failed rather than run again. */
export const MAX_ATTEMPTS = 3;

type JobRow = Awaited<ReturnType<ReturnType<typeof getDb>['job']['findUniqueOrThrow']>>;

export function jobView(row: JobRow, now = Date.now()): JobView {
  const elapsed = row.startedAt ? (now - row.startedAt.getTime()) / 1000 : 0;
  const eta = row.status === 'running' && row.done > 0 && row.total > row.done ? Math.round((elapsed / row.done) * (row.total - row.done)) : null;
  return {
    id: row.id,
    kind: row.kind as JobKind,
    projectId: row.projectId,
    status: row.status as JobStatus,
    params: JSON.parse(row.params) as unknown,
    result: row.result ? (JSON.parse(row.result) as unknown) : null,
    done: row.done,
    total: row.total,
    message: row.message,
    error: row.error,
    cancelRequested: row.cancelRequested,
    attempts: row.attempts,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    etaSeconds: eta,
  };
}

/** Queues a job (inside the caller's transaction when given); the runner picks it up. */
export async function enqueueJob(kind: JobKind, params: unknown, createdById: string | null, { projectId = null, tx = getDb() }: { projectId?: string | null; tx?: Tx } = {}): Promise<string> {
  const row = await tx.job.create({ data: { kind, projectId, params: JSON.stringify(params), createdById, message: 'Waiting for a free worker' }, select: { id: true } });
  return row.id;
}

export async function getJob(id: string): Promise<JobView> {
  const row = await getDb().job.findUnique({ where: { id } });
  if (!row) throw new AppError('NOT_FOUND', 'No such job.');
  return jobView(row);
}

/**
 * Takes the oldest queued job for a worker: the status changes from queued to running only for the
 * one caller whose update matched, so two runners never take the same job.
 */
export async function claimNextJob(): Promise<string | null> {
  const db = getDb();
  for (;;) {
    const next = await db.job.findFirst({ where: { status: 'queued' }, orderBy: { createdAt: 'asc' }, select: { id: true, cancelRequested: true } });
    if (!next) return null;
    if (next.cancelRequested) {
      await finishJob(next.id, 'cancelled', { message: 'Cancelled before it started' });
      continue;
    }
    const { count } = await db.job.updateMany({
      where: { id: next.id, status: 'queued' },
      data: { status: 'running', startedAt: new Date(), attempts: { increment: 1 }, message: 'Starting', done: 0 },
    });
    if (count === 1) return next.id;
  }
}

/** Records a running job's progress; says whether someone has asked it to stop. */
export function reportProgress(id: string, progress: { done: number; total: number; message: string }): Promise<{ cancelRequested: boolean }> {
  return getDb().job.update({ where: { id }, data: progress, select: { cancelRequested: true } });
}

/** Ends a running job; a job already ended is left as it is. */
export async function finishJob(id: string, status: 'succeeded' | 'failed' | 'cancelled', { result, error, message }: { result?: unknown; error?: string; message?: string } = {}, tx: Tx = getDb()): Promise<void> {
  await tx.job.updateMany({
    where: { id, status: { in: ['queued', 'running'] } },
    data: {
      status,
      finishedAt: new Date(),
      ...(result !== undefined ? { result: JSON.stringify(result) } : {}),
      ...(error !== undefined ? { error } : {}),
      message: message ?? (status === 'succeeded' ? 'Done' : status === 'cancelled' ? 'Cancelled' : 'Failed'),
    },
  });
}

/** Asks a job to stop: a queued one never starts, a running one stops at its next step. */
export async function requestCancel(id: string): Promise<JobView> {
  const db = getDb();
  const { count } = await db.job.updateMany({ where: { id, status: { in: ['queued', 'running'] } }, data: { cancelRequested: true } });
  if (count === 0 && !(await db.job.findUnique({ where: { id }, select: { id: true } }))) throw new AppError('NOT_FOUND', 'No such job.');
  await db.job.updateMany({ where: { id, status: 'queued' }, data: { status: 'cancelled', finishedAt: new Date(), message: 'Cancelled before it started' } });
  return getJob(id);
}

/**
 * After a restart nothing is running: each job that was goes back to the queue (its handler starts
 * it over; nothing it did was committed), or fails once it has been interrupted MAX_ATTEMPTS times.
 */
export async function requeueInterruptedJobs(): Promise<{ requeued: number; failed: number }> {
  const db = getDb();
  const failed = await db.job.updateMany({
    where: { status: 'running', attempts: { gte: MAX_ATTEMPTS } },
    data: { status: 'failed', finishedAt: new Date(), error: `Interrupted by a server restart ${MAX_ATTEMPTS} times.`, message: 'Failed' },
  });
  const cancelled = await db.job.updateMany({ where: { status: 'running', cancelRequested: true }, data: { status: 'cancelled', finishedAt: new Date(), message: 'Cancelled' } });
  const requeued = await db.job.updateMany({ where: { status: 'running' }, data: { status: 'queued', message: 'Interrupted by a restart: waiting to run again', done: 0 } });
  return { requeued: requeued.count, failed: failed.count + cancelled.count };
}
