import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { requireAttachableModel } from '@/lib/inference/model-choices';
import { requireProjectAccess } from './project-access';
import type { ProjectSeriesRuleInput } from './schemas';
import { parseStoredSchema } from './schema-version';
import { storedSeriesRule, type SeriesRule } from './series-rule.client';

/**
 * Changes which series of its studies the project labels. Labels already saved stay as they are (on
 * whichever series they were drawn); readers' viewers and pre-annotation follow the new rule from
 * now on. An attached model must still read one of the modalities, or nothing changes.
 */
export async function setProjectSeriesRule({ user, projectId, input }: { user: Pick<SessionUser, 'id' | 'roles'>; projectId: string; input: ProjectSeriesRuleInput }): Promise<{ seriesRule: SeriesRule }> {
  await requireProjectAccess(user, projectId, 'manage');
  const db = getDb();
  const modalities = [...new Set(input.seriesRule.modalities)];
  const { modelName } = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { modelName: true } });
  if (modelName) {
    const { schema } = await db.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } });
    await requireAttachableModel(modelName, { modalities, schema: parseStoredSchema(schema) });
  }
  const project = await db.project.update({
    where: { id: projectId },
    data: { modalities: modalities.join('\\'), seriesDescription: input.seriesRule.seriesDescription },
    select: { modalities: true, seriesDescription: true },
  });
  return { seriesRule: storedSeriesRule(project) };
}
