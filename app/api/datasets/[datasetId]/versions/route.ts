import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { findDatasetVersions } from '@/lib/datasets/find-dataset-versions';
import { getDataset } from '@/lib/datasets/get-dataset';
import { startPublication } from '@/lib/datasets/publish/start-publication';
import { withAuth } from '@/lib/http/with-auth';

/** The dataset's versions, newest first, with revocation flags. */
export const GET = withAuth<{ datasetId: string }>(async ({ params }) => {
  const dataset = await getDataset(params.datasetId);
  return Response.json({ versions: await findDatasetVersions(dataset.id, dataset.purpose) });
}, DATASETS_MANAGE);

/** Publishes the next version: 202 with the version and the job to follow (GET /api/jobs/{jobId}). */
export const POST = withAuth<{ datasetId: string }>(async ({ user, params }) => Response.json(await startPublication({ datasetId: params.datasetId, actorId: user.id }), { status: 202 }), DATASETS_MANAGE);
