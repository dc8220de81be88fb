import type { LabelSchema } from '@/lib/annotations/label-schema';

/**
 * A label schema as its editor holds it: rows with free-text fields. Ids (region classes, questions,
 * choices) are derived from the names people type, so nobody has to invent identifiers; rows that
 * came from a stored schema keep their ids when renamed, so labels made with it still fit.
 */
export type SchemaDraft = {
  segments: { value: number; name: string; color: string; code: DraftCode }[];
  regions: { id?: string; name: string; color: string; shape: 'box' | 'polygon' }[];
  questions: { id?: string; question: string; level: 'study' | 'series'; choices: string; choiceIds?: Record<string, string>; multiple: boolean; required: boolean }[];
};

/** A segment's coded concept (SNOMED CT by default, as DICOM-SEG wants); no code when `value` is empty. */
export type DraftCode = { scheme: string; value: string; meaning: string };

export const NO_CODE: DraftCode = { scheme: 'SCT', value: '', meaning: '' };

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990'];

export const paletteColor = (i: number) => PALETTE[i % PALETTE.length]!;

export const EMPTY_DRAFT: SchemaDraft = { segments: [{ value: 1, name: '', color: paletteColor(0), code: NO_CODE }], regions: [], questions: [] };

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
  const region = (r: SchemaDraft['regions'][number], i: number) => ({ id: r.id ?? slugId(r.name, `region${i + 1}`), name: r.name, color: r.color });
  return {
    segments: draft.segments.map((s) => ({ value: s.value, name: s.name, color: s.color, ...codeOf(s) })),
    boxes: draft.regions.map((r, i) => ({ r, i })).filter(({ r }) => r.shape === 'box').map(({ r, i }) => region(r, i)),
    polygons: draft.regions.map((r, i) => ({ r, i })).filter(({ r }) => r.shape === 'polygon').map(({ r, i }) => region(r, i)),
    questions: draft.questions.map((q, i) => ({
      id: q.id ?? slugId(q.question, `q${i + 1}`),
      question: q.question,
      level: q.level,
      multiple: q.multiple,
      required: q.required,
      choices: q.choices
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
        .map((label, j) => ({ id: q.choiceIds?.[label] ?? slugId(label, `c${j + 1}`), label })),
    })),
  };
}

function codeOf(s: SchemaDraft['segments'][number]): { code?: NonNullable<LabelSchema['segments'][number]['code']> } {
  const value = s.code.value.trim();
  if (!value) return {};
  return { code: { scheme: s.code.scheme.trim() || 'SCT', value, meaning: s.code.meaning.trim() || s.name.trim() } };
}

/** A stored schema, back into editable rows (ids and codes kept). */
export function schemaToDraft(schema: LabelSchema): SchemaDraft {
  return {
    segments: schema.segments.map((s) => ({ value: s.value, name: s.name, color: s.color, code: s.code ? { ...s.code } : NO_CODE })),
    regions: [
      ...schema.boxes.map((b) => ({ id: b.id, name: b.name, color: b.color, shape: 'box' as const })),
      ...schema.polygons.map((p) => ({ id: p.id, name: p.name, color: p.color, shape: 'polygon' as const })),
    ],
    questions: schema.questions.map((q) => ({
      id: q.id,
      question: q.question,
      level: q.level,
      choices: q.choices.map((c) => c.label).join(', '),
      choiceIds: Object.fromEntries(q.choices.map((c) => [c.label, c.id])),
      multiple: q.multiple,
      required: q.required,
    })),
  };
}
