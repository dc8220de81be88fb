import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { requireProjects } from './create-dataset';
import type { UpdateDatasetInput } from './schemas';

/** Changes a dataset's definition; published versions keep what they were published with. */
export async function updateDataset({ datasetId, input }: { datasetId: string; input: UpdateDatasetInput }): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const exists = await tx.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
    if (!exists) throw new AppError('NOT_FOUND', 'No such dataset.');
    if (input.projectIds) {
      await requireProjects(tx, input.projectIds);
      await tx.datasetProject.deleteMany({ where: { datasetId } });
      await tx.datasetProject.createMany({ data: [...new Set(input.projectIds)].map((projectId) => ({ datasetId, projectId })) });
    }
    await tx.dataset.update({
      where: { id: datasetId },
      data: {
        description: input.description,
        purpose: input.purpose,
        labelStatus: input.labelStatus,
        filters: input.filters && JSON.stringify(input.filters),
        split: input.split && JSON.stringify(input.split),
        license: input.license,
      },
    });
  });
}
