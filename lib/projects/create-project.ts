import { getDb } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { AppError } from '@/lib/errors/app-error';
import { requireAttachableModel } from '@/lib/inference/model-choices';
import { writeMembers } from './members';
import type { CreateProjectInput } from './schemas';
import { writeSchemaVersion } from './schema-version';

/** Creates a project with schema version 1, its members and its pre-annotation model, all or nothing. */
export async function createProject({ input, actorId }: { input: CreateProjectInput; actorId: string }): Promise<{ id: string }> {
  if (input.modelName) await requireAttachableModel(input.modelName, input);
  try {
    return await getDb().$transaction(async (tx) => {
      const project = await tx.project.create({
        data: {
          name: input.name,
          purpose: input.purpose,
          modalities: [...new Set(input.modalities)].join('\\'),
          seriesDescription: input.seriesDescription,
          readersPerStudy: input.readersPerStudy,
          modelName: input.modelName,
          consentPurpose: input.consentPurpose,
          createdById: actorId,
        },
        select: { id: true },
      });
      await writeSchemaVersion(tx, { projectId: project.id, schema: input.schema, actorId });
      await writeMembers(tx, project.id, input);
      return project;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A project named "${input.name}" already exists.`, { fields: { name: ['taken'] } });
    throw err;
  }
}
