import type { Prisma } from '@/lib/db/client';
import { ZDatasetFilters, ZDatasetSplit, type DatasetLabelStatus } from './schemas';
import type { DatasetDefinition } from './select-dataset-studies';
import type { ConsentPurpose } from '@/lib/consent/purposes';

/** The columns a dataset row is read with. */
export const DATASET_SELECT = {
  id: true,
  name: true,
  description: true,
  purpose: true,
  labelStatus: true,
  filters: true,
  split: true,
  license: true,
  createdAt: true,
  updatedAt: true,
  projects: { select: { project: { select: { id: true, name: true } } } },
} as const satisfies Prisma.DatasetSelect;

type DatasetRow = Prisma.DatasetGetPayload<{ select: typeof DATASET_SELECT }>;

export type Dataset = DatasetDefinition & {
  id: string;
  name: string;
  description: string;
  license: string;
  projects: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
};

/** A stored dataset as the domain uses it: JSON columns parsed (they were validated when written). */
export function toDataset(row: DatasetRow): Dataset {
  const projects = row.projects.map((p) => p.project).sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    purpose: row.purpose as ConsentPurpose,
    labelStatus: row.labelStatus as DatasetLabelStatus,
    filters: ZDatasetFilters.parse(JSON.parse(row.filters)),
    split: ZDatasetSplit.parse(JSON.parse(row.split)),
    license: row.license,
    projectIds: projects.map((p) => p.id),
    projects,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
