import type { LabelSchema } from '@/lib/annotations/label-schema';
import { getDb } from '@/lib/db/client';
import { parseStoredSchema } from '@/lib/projects/schema-version';

/**
 * The classes a dataset's training files are written with: every segment value and region class any
 * schema version of its projects has had, the newest project's name winning when two disagree. One
 * list for the whole version, so nnU-Net and COCO ids mean the same in every case.
 */
export async function datasetSchema(projectIds: readonly string[]): Promise<Pick<LabelSchema, 'segments' | 'boxes' | 'polygons'>> {
  const versions = await getDb().labelSchemaVersion.findMany({ where: { projectId: { in: [...projectIds] } }, orderBy: { createdAt: 'desc' }, select: { schema: true } });
  const segments = new Map<number, LabelSchema['segments'][number]>();
  const boxes = new Map<string, LabelSchema['boxes'][number]>();
  const polygons = new Map<string, LabelSchema['polygons'][number]>();
  for (const v of versions) {
    const schema = parseStoredSchema(v.schema);
    for (const s of schema.segments) if (!segments.has(s.value)) segments.set(s.value, s);
    for (const b of schema.boxes) if (!boxes.has(b.id)) boxes.set(b.id, b);
    for (const p of schema.polygons) if (!polygons.has(p.id)) polygons.set(p.id, p);
  }
  return { segments: [...segments.values()].sort((a, b) => a.value - b.value), boxes: [...boxes.values()], polygons: [...polygons.values()] };
}
