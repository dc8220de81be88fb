import { getDb } from '@/lib/db/client';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { schemaClasses } from './label-classes';

export type DatasetProjectOption = { id: string; name: string; classes: string[] };

/**
 * The projects a dataset can be built from (active ones, plus archived ones it already uses), each
 * with the classes of every schema version it has had: labels made under an older version keep theirs.
 */
export async function datasetProjectOptions(alreadyUsed: readonly string[] = []): Promise<DatasetProjectOption[]> {
  const projects = await getDb().project.findMany({
    where: { OR: [{ archivedAt: null }, { id: { in: [...alreadyUsed] } }] },
    select: { id: true, name: true, schemas: { select: { schema: true }, orderBy: { version: 'desc' } } },
    orderBy: { name: 'asc' },
  });
  return projects.map((p) => ({ id: p.id, name: p.name, classes: [...new Set(p.schemas.flatMap((s) => schemaClasses(parseStoredSchema(s.schema))))] }));
}
