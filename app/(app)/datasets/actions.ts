'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { safeAction } from '@/app/_lib/safe-action';
import { createDataset } from '@/lib/datasets/create-dataset';
import { previewDataset } from '@/lib/datasets/preview-dataset';
import { ZCreateDatasetInput, ZDatasetDefinitionInput, ZUpdateDatasetInput } from '@/lib/datasets/schemas';
import { updateDataset } from '@/lib/datasets/update-dataset';

const MANAGE = { roles: ['ml_engineer' as const, 'admin' as const] };

export const createDatasetAction = safeAction(
  ZCreateDatasetInput,
  async (input, user) => {
    const created = await createDataset({ input, actorId: user.id });
    revalidatePath('/datasets');
    return created;
  },
  MANAGE,
);

export const updateDatasetAction = safeAction(
  ZUpdateDatasetInput.extend({ datasetId: z.string().min(1).max(64) }),
  async ({ datasetId, ...input }) => {
    await updateDataset({ datasetId, input });
    revalidatePath(`/datasets/${datasetId}`);
    return { id: datasetId };
  },
  MANAGE,
);

export const previewDatasetAction = safeAction(ZDatasetDefinitionInput, (definition) => previewDataset(definition), MANAGE);
