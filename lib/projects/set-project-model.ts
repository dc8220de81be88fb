import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { requireAttachableModel } from '@/lib/inference/model-choices';
import { requireProjectAccess } from './project-access';
import { parseStoredSchema } from './schema-version';

/**
 * Attaches the model that pre-annotates the project (`null`: none). Studies added afterwards are
 * pre-annotated by it as they join; the project page runs it over the studies already there.
 */
export async function setProjectModel({ user, projectId, modelName }: { user: Pick<SessionUser, 'id' | 'roles'>; projectId: string; modelName: string | null }): Promise<{ modelName: string | null }> {
  await requireProjectAccess(user, projectId, 'manage');
  const db = getDb();
  if (modelName !== null) {
    const { modalities } = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { modalities: true } });
    const { schema } = await db.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } });
    await requireAttachableModel(modelName, { modalities: modalities ? modalities.split('\\') : [], schema: parseStoredSchema(schema) });
  }
  return db.project.update({ where: { id: projectId }, data: { modelName }, select: { modelName: true } });
}
