import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '@/lib/ledger/canonical-json';

/**
 * A project's label schema: what readers may draw and answer. Segmentation classes carry the voxel
 * value they are stored as (1–255, 0 is background) and the colour they are drawn in, with an
 * optional coded concept (SNOMED CT, as DICOM-SEG segment categories want); box and polygon classes
 * name what a region is; classification questions are asked per study or per series, with choices.
 * Schemas are versioned: a label records the version (and its hash) it was made with.
 */

const id = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'ids are lower case letters, digits, "_" or "-", starting with a letter');
const name = z.string().trim().min(1, 'needs a name').max(128);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colours are #rrggbb');
const code = z.object({ scheme: z.string().min(1).max(16), value: z.string().min(1).max(64), meaning: z.string().min(1).max(128) }).strict();

const ZSegmentClass = z.object({ value: z.number().int().min(1).max(255), name, color, code: code.optional() }).strict();
const ZRegionClass = z.object({ id, name, color }).strict();
const ZQuestion = z
  .object({
    id,
    question: z.string().trim().min(1).max(256),
    level: z.enum(['study', 'series']),
    choices: z.array(z.object({ id, label: name }).strict()).min(2).max(32),
    multiple: z.boolean().default(false),
    required: z.boolean().default(true),
  })
  .strict();

export const ZLabelSchema = z
  .object({
    segments: z.array(ZSegmentClass).max(255).default([]),
    boxes: z.array(ZRegionClass).max(64).default([]),
    polygons: z.array(ZRegionClass).max(64).default([]),
    questions: z.array(ZQuestion).max(64).default([]),
  })
  .strict()
  .superRefine((schema, ctx) => {
    if (!schema.segments.length && !schema.boxes.length && !schema.polygons.length && !schema.questions.length) {
      ctx.addIssue({ code: 'custom', message: 'A label schema needs at least one segment class, box class, polygon class or question.' });
    }
    const unique = (values: string[], path: (string | number)[], what: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what} "${v}" is used twice.` });
        seen.add(v);
      });
    };
    unique(schema.segments.map((s) => String(s.value)), ['segments'], 'Segment value');
    unique(schema.segments.map((s) => s.name.toLowerCase()), ['segments'], 'Segment name');
    // Boxes and polygons share one namespace: a region's class id says what it is, whatever its shape.
    unique([...schema.boxes, ...schema.polygons].map((c) => c.id), ['regions'], 'Region class id');
    unique(schema.questions.map((q) => q.id), ['questions'], 'Question id');
    schema.questions.forEach((q, i) => unique(q.choices.map((c) => c.id), ['questions', i, 'choices'], 'Choice id'));
  });

export type LabelSchema = z.infer<typeof ZLabelSchema>;

/** SHA-256 of the schema's canonical JSON (RFC 8785): what a label and a ledger entry cite. */
export function labelSchemaHash(schema: LabelSchema): string {
  return createHash('sha256').update(canonicalize(schema)).digest('hex');
}

/**
 * The schema segment a class described elsewhere (a DICOM-SEG segment, a model's output class) is
 * written as: the one with the same code (scheme and value), else the same name, case-insensitive.
 */
export function matchingSegment<S extends { name: string; code?: { scheme: string; value: string } | undefined }>(
  described: { name: string; code?: { scheme: string; value: string } | null },
  segments: readonly S[],
): S | undefined {
  const { code } = described;
  const byCode = code && segments.find((s) => s.code && s.code.scheme === code.scheme && s.code.value === code.value);
  if (byCode) return byCode;
  const name = described.name.trim().toLowerCase();
  return name ? segments.find((s) => s.name.trim().toLowerCase() === name) : undefined;
}

/** What a label refers to in its schema: the checks a saved label must pass. */
export type LabelReferences = {
  segmentValues?: number[];
  regionClassIds?: string[];
  answers?: { questionId: string; choiceIds: string[] }[];
};

/**
 * The reasons a label made of `refs` does not fit `schema` (empty when it does): unknown segment
 * values, region classes, questions or choices, several choices for a single-choice question. A
 * label saved against a changed schema is rejected with these.
 */
export function labelMismatches(schema: LabelSchema, refs: LabelReferences): string[] {
  const problems: string[] = [];
  const segments = new Set(schema.segments.map((s) => s.value));
  for (const v of new Set(refs.segmentValues ?? [])) if (!segments.has(v)) problems.push(`Segment value ${v} is not in the schema.`);
  const regions = new Set([...schema.boxes, ...schema.polygons].map((c) => c.id));
  for (const c of new Set(refs.regionClassIds ?? [])) if (!regions.has(c)) problems.push(`Region class "${c}" is not in the schema.`);
  for (const answer of refs.answers ?? []) {
    const question = schema.questions.find((q) => q.id === answer.questionId);
    if (!question) {
      problems.push(`Question "${answer.questionId}" is not in the schema.`);
      continue;
    }
    const choices = new Set(question.choices.map((c) => c.id));
    for (const c of answer.choiceIds) if (!choices.has(c)) problems.push(`"${c}" is not a choice of question "${question.id}".`);
    if (!question.multiple && answer.choiceIds.length > 1) problems.push(`Question "${question.id}" takes one choice.`);
  }
  return problems;
}
