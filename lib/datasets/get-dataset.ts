import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { DATASET_SELECT, toDataset, type Dataset } from './stored-dataset';

/** One dataset, or NOT_FOUND. */
export async function getDataset(datasetId: string): Promise<Dataset> {
  const row = await getDb().dataset.findUnique({ where: { id: datasetId }, select: DATASET_SELECT });
  if (!row) throw new AppError('NOT_FOUND', 'No such dataset.');
  return toDataset(row);
}
