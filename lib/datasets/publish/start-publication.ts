import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { enqueueJob } from '@/lib/jobs/job-queue';
import { kickJobRunner } from '@/lib/jobs/job-runner';
import { getDataset } from '../get-dataset';
import { selectDatasetStudies } from '../select-dataset-studies';
import { newVersionKey } from '../version-key';
import { settleAbandonedVersions } from './settle-abandoned-versions';

/**
 * Starts publishing the next version of a dataset: refuses at once when nothing is eligible or a
 * version is already being published; otherwise freezes the definition into a `publishing` version
 * (with a fresh key unless it is an open dataset) and queues the job that does the work.
 */
export async function startPublication({ datasetId, actorId }: { datasetId: string; actorId: string }): Promise<{ versionId: string; jobId: string }> {
  const dataset = await getDataset(datasetId);
  const { included, excluded } = await selectDatasetStudies(dataset);
  if (!included.length) {
    throw new AppError('BAD_REQUEST', `Nothing to publish: none of the ${excluded.length} studies of its projects has an eligible label and a recorded consent for this use. The preview says why for each.`);
  }
  const encrypted = dataset.purpose !== 'public_release';
  await settleAbandonedVersions(datasetId);
  const created = await getDb().$transaction(async (tx) => {
    const busy = await tx.datasetVersion.findFirst({ where: { datasetId, status: 'publishing' }, select: { id: true } });
    if (busy) throw new AppError('CONFLICT', 'A version of this dataset is being published already: wait for it or cancel it.');
    const version = await tx.datasetVersion.create({
      data: { datasetId, definition: JSON.stringify(dataset), encrypted, sealedKey: encrypted ? newVersionKey().sealed : null, createdById: actorId },
      select: { id: true },
    });
    const jobId = await enqueueJob('publish', { versionId: version.id }, actorId, { tx });
    await tx.datasetVersion.update({ where: { id: version.id }, data: { jobId } });
    return { versionId: version.id, jobId };
  });
  void kickJobRunner();
  return created;
}
