import { getDb } from '@/lib/db/client';

/**
 * Versions still `publishing` whose job ended without publishing them (cancelled before it started,
 * failed after three interrupted attempts) become `failed` with the job's reason, so they stop
 * blocking the next publication and the page says what happened.
 */
export async function settleAbandonedVersions(datasetId: string): Promise<void> {
  const db = getDb();
  const open = await db.datasetVersion.findMany({ where: { datasetId, status: 'publishing' }, select: { id: true, jobId: true } });
  if (!open.length) return;
  const jobs = new Map(
    (await db.job.findMany({ where: { id: { in: open.flatMap((v) => (v.jobId ? [v.jobId] : [])) } }, select: { id: true, status: true, error: true } })).map((j) => [j.id, j]),
  );
  for (const v of open) {
    const job = v.jobId ? jobs.get(v.jobId) : undefined;
    if (job && (job.status === 'queued' || job.status === 'running')) continue;
    const reason = job?.status === 'cancelled' ? 'Cancelled before it was published.' : (job?.error ?? 'Its publication job is gone.');
    await db.datasetVersion.updateMany({ where: { id: v.id, status: 'publishing' }, data: { status: 'failed', error: reason } });
  }
}
