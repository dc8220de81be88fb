import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { getDataset } from '@/lib/datasets/get-dataset';
import { ZUpdateDatasetInput } from '@/lib/datasets/schemas';
import { updateDataset } from '@/lib/datasets/update-dataset';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

export const GET = withAuth<{ datasetId: string }>(async ({ params }) => Response.json(await getDataset(params.datasetId)), DATASETS_MANAGE);

/** Changes the definition (projects, purpose, filters, split, licence); published versions stay as they were. */
export const PATCH = withAuth<{ datasetId: string }>(async ({ req, params }) => {
  const input = ZUpdateDatasetInput.parse(await readJson(req));
  await updateDataset({ datasetId: params.datasetId, input });
  return Response.json(await getDataset(params.datasetId));
}, DATASETS_MANAGE);
