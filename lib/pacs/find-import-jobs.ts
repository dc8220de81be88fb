import { getDb } from '@/lib/db/client';

export type ImportJobView = {
  id: string;
  sourceUrl: string;
  status: string;
  studiesTotal: number;
  studiesDone: number;
  instancesStored: number;
  instancesDuplicate: number;
  instancesRejected: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
};

/** The latest imports, newest first, as the admin page shows and polls them. */
export async function findImportJobs(limit = 20): Promise<ImportJobView[]> {
  const jobs = await getDb().importJob.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return jobs.map((j) => ({
    id: j.id,
    sourceUrl: j.sourceUrl,
    status: j.status,
    studiesTotal: j.studiesTotal,
    studiesDone: j.studiesDone,
    instancesStored: j.instancesStored,
    instancesDuplicate: j.instancesDuplicate,
    instancesRejected: j.instancesRejected,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  }));
}
