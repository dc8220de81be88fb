import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { previewDataset } from '@/lib/datasets/preview-dataset';
import { ZDatasetDefinitionInput } from '@/lib/datasets/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** The preview of a definition not saved yet (the form's live preview). */
export const POST = withAuth(async ({ req }) => Response.json(await previewDataset(ZDatasetDefinitionInput.parse(await readJson(req)))), DATASETS_MANAGE);
