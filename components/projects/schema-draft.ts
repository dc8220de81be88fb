import type { LabelSchema } from '@/lib/annotations/label-schema';

/**
 * A label schema as its editor holds it: rows with free-text fields. Ids (region classes, questions,
 * choices) are derived from the names people type, so nobody has to invent identifiers.
 */
export type SchemaDraft = {
  segments: { value: number; name: string; color: string }[];
  regions: { name: string; color: string; shape: 'box' | 'polygon' }[];
  questions: { question: string; level: 'study' | 'series'; choices: string; multiple: boolean }[];
};

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990'];

export const paletteColor = (i: number) => PALETTE[i % PALETTE.length]!;

export const EMPTY_DRAFT: SchemaDraft = { segments: [{ value: 1, name: '', color: paletteColor(0) }], regions: [], questions: [] };

/** "Left lung" → "left_lung": a schema id (lower case, starting with a letter). */
export function slugId(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return /^[a-z]/.test(slug) ? slug : `${fallback}_${slug}`.replace(/_+$/, '');
}

/** The schema a draft describes; the server validates it (and says what is wrong). */
export function draftToSchema(draft: SchemaDraft): LabelSchema {
  const region = (r: SchemaDraft['regions'][number], i: number) => ({ id: slugId(r.name, `region${i + 1}`), name: r.name, color: r.color });
  return {
    segments: draft.segments.map((s) => ({ value: s.value, name: s.name, color: s.color })),
    boxes: draft.regions.map((r, i) => ({ r, i })).filter(({ r }) => r.shape === 'box').map(({ r, i }) => region(r, i)),
    polygons: draft.regions.map((r, i) => ({ r, i })).filter(({ r }) => r.shape === 'polygon').map(({ r, i }) => region(r, i)),
    questions: draft.questions.map((q, i) => ({
      id: slugId(q.question, `q${i + 1}`),
      question: q.question,
      level: q.level,
      multiple: q.multiple,
      required: true,
      choices: q.choices
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
        .map((label, j) => ({ id: slugId(label, `c${j + 1}`), label })),
    })),
  };
}

/** A stored schema, back into editable rows. */
export function schemaToDraft(schema: LabelSchema): SchemaDraft {
  return {
    segments: schema.segments.map((s) => ({ value: s.value, name: s.name, color: s.color })),
    regions: [
      ...schema.boxes.map((b) => ({ name: b.name, color: b.color, shape: 'box' as const })),
      ...schema.polygons.map((p) => ({ name: p.name, color: p.color, shape: 'polygon' as const })),
    ],
    questions: schema.questions.map((q) => ({ question: q.question, level: q.level, choices: q.choices.map((c) => c.label).join(', '), multiple: q.multiple })),
  };
}
