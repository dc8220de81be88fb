import { labelSchemaHash, type LabelSchema } from '@/lib/annotations/label-schema';
import { getDb } from '@/lib/db/client';
import { writeSchemaVersion } from './schema-version';

/**
 * Publishes a new schema version (an identical schema is not a new version). Labels made with an
 * older version keep it; saving them again needs them to fit the new one.
 */
export async function addSchemaVersion({ projectId, schema, actorId }: { projectId: string; schema: LabelSchema; actorId: string }): Promise<{ version: number; created: boolean }> {
  return getDb().$transaction(async (tx) => {
    const latest = await tx.labelSchemaVersion.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' } });
    if (latest.hash === labelSchemaHash(schema)) return { version: latest.version, created: false };
    const row = await writeSchemaVersion(tx, { projectId, schema, actorId });
    return { version: row.version, created: true };
  });
}
