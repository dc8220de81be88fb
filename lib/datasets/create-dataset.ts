import { getDb, type Tx } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { AppError } from '@/lib/errors/app-error';
import type { CreateDatasetInput } from './schemas';

/** Defines a dataset (nothing is published until a version is): its projects must exist. */
export async function createDataset({ input, actorId }: { input: CreateDatasetInput; actorId: string }): Promise<{ id: string }> {
  try {
    return await getDb().$transaction(async (tx) => {
      await requireProjects(tx, input.projectIds);
      return tx.dataset.create({
        data: {
          name: input.name,
          description: input.description,
          purpose: input.purpose,
          labelStatus: input.labelStatus,
          filters: JSON.stringify(input.filters),
          split: JSON.stringify(input.split),
          license: input.license,
          createdById: actorId,
          projects: { create: [...new Set(input.projectIds)].map((projectId) => ({ projectId })) },
        },
        select: { id: true },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A dataset named "${input.name}" already exists.`, { fields: { name: ['taken'] } });
    throw err;
  }
}

/** BAD_REQUEST naming the project ids that do not exist. */
export async function requireProjects(tx: Tx, projectIds: readonly string[]): Promise<void> {
  const found = new Set((await tx.project.findMany({ where: { id: { in: [...projectIds] } }, select: { id: true } })).map((p) => p.id));
  const missing = projectIds.filter((id) => !found.has(id));
  if (missing.length) throw new AppError('BAD_REQUEST', `No such project: ${missing.join(', ')}.`, { fields: { projectIds: ['unknown project'] } });
}
