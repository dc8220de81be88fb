import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { getDataset } from '@/lib/datasets/get-dataset';
import { previewDataset } from '@/lib/datasets/preview-dataset';
import { withAuth } from '@/lib/http/with-auth';

/** What publishing the dataset now would include, what it would leave out and why. */
export const GET = withAuth<{ datasetId: string }>(async ({ params }) => Response.json(await previewDataset(await getDataset(params.datasetId))), DATASETS_MANAGE);
