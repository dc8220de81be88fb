import { createDataset } from '@/lib/datasets/create-dataset';
import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { findDatasets } from '@/lib/datasets/find-datasets';
import { ZCreateDatasetInput } from '@/lib/datasets/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

export const GET = withAuth(async () => Response.json({ datasets: await findDatasets() }), DATASETS_MANAGE);

export const POST = withAuth(async ({ req, user }) => {
  const input = ZCreateDatasetInput.parse(await readJson(req));
  return Response.json(await createDataset({ input, actorId: user.id }), { status: 201 });
}, DATASETS_MANAGE);
