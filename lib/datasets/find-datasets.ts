import { getDb } from '@/lib/db/client';
import { DATASET_SELECT, toDataset, type Dataset } from './stored-dataset';

/** Every dataset, newest first (all ML engineers and admins see all of them, like projects). */
export async function findDatasets(): Promise<Dataset[]> {
  const rows = await getDb().dataset.findMany({ select: DATASET_SELECT, orderBy: { createdAt: 'desc' } });
  return rows.map(toDataset);
}
