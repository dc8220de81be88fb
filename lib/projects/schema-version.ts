import type { Tx } from '@/lib/db/client';
import { labelSchemaHash, ZLabelSchema, type LabelSchema } from '@/lib/annotations/label-schema';
import { canonicalize } from '@/lib/ledger/canonical-json';

/** Writes `schema` as the project's next schema version (1 for a new project). */
export async function writeSchemaVersion(tx: Tx, opts: { projectId: string; schema: LabelSchema; actorId: string }) {
  const latest = await tx.labelSchemaVersion.findFirst({ where: { projectId: opts.projectId }, orderBy: { version: 'desc' }, select: { version: true } });
  return tx.labelSchemaVersion.create({
    data: {
      projectId: opts.projectId,
      version: (latest?.version ?? 0) + 1,
      schema: canonicalize(opts.schema),
      hash: labelSchemaHash(opts.schema),
      createdById: opts.actorId,
    },
  });
}

/** A stored schema version's schema (stored canonical and valid, so parsing only restores defaults). */
export function parseStoredSchema(json: string): LabelSchema {
  return ZLabelSchema.parse(JSON.parse(json));
}
