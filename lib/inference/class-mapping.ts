import { matchingSegment, type LabelSchema } from '@/lib/annotations/label-schema';
import { AppError } from '@/lib/errors/app-error';
import type { ModelManifest } from './manifest';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const classNames = (manifest: ModelManifest) => manifest.output.classes.map((c) => c.name).join(', ');

/**
 * Which schema segment each model class is written as: same code (scheme and value), else same name
 * (case-insensitive). `valueOf[1 + the class's position]` is its segment value. Classes with no
 * segment are left out (and listed); none at all is an error.
 */
export function segmentMapping(manifest: ModelManifest, schema: LabelSchema): { valueOf: Uint8Array; used: { model: string; segment: number }[]; unmatched: string[] } {
  const valueOf = new Uint8Array(256);
  const used: { model: string; segment: number }[] = [];
  const unmatched: string[] = [];
  manifest.output.classes.forEach((c, k) => {
    const segment = matchingSegment(c, schema.segments);
    if (segment) {
      valueOf[k + 1] = segment.value;
      used.push({ model: c.name, segment: segment.value });
    } else unmatched.push(c.name);
  });
  if (used.length === 0) throw new AppError('CONFLICT', `None of the model's classes (${classNames(manifest)}) is a segment of the project's label schema (by code or name).`);
  return { valueOf, used, unmatched };
}

/**
 * Which schema box class each detection class is drawn as: the one whose id or name is the class's
 * name (case-insensitive). Classes with none are left out (and listed); none at all is an error.
 */
export function regionMapping(manifest: ModelManifest, schema: LabelSchema): { classIdOf: Map<number, string>; used: { model: string; region: string }[]; unmatched: string[] } {
  const classIdOf = new Map<number, string>();
  const used: { model: string; region: string }[] = [];
  const unmatched: string[] = [];
  for (const c of manifest.output.classes) {
    const region = schema.boxes.find((b) => same(b.id, c.name) || same(b.name, c.name));
    if (region) {
      classIdOf.set(c.index, region.id);
      used.push({ model: c.name, region: region.id });
    } else unmatched.push(c.name);
  }
  if (used.length === 0) throw new AppError('CONFLICT', `None of the model's classes (${classNames(manifest)}) is a box class of the project's label schema (by id or name).`);
  return { classIdOf, used, unmatched };
}

export type ChoiceMapping = {
  questionId: string;
  level: 'study' | 'series';
  multiple: boolean;
  /** The choice id of each model class, in the manifest's class order (null: no such choice). */
  choiceOf: (string | null)[];
  used: { model: string; choice: string }[];
  unmatched: string[];
};

/**
 * The schema question a classification model answers: the one with the most choices whose id or
 * label is one of the model's class names (case-insensitive). No question with any: an error.
 */
export function choiceMapping(manifest: ModelManifest, schema: LabelSchema): ChoiceMapping {
  const candidates = schema.questions.map((q) => {
    const choiceOf = manifest.output.classes.map((c) => q.choices.find((ch) => same(ch.id, c.name) || same(ch.label, c.name))?.id ?? null);
    return { q, choiceOf, matched: choiceOf.filter(Boolean).length };
  });
  const best = candidates.sort((a, b) => b.matched - a.matched)[0];
  if (!best?.matched) throw new AppError('CONFLICT', `None of the project's questions has the model's classes (${classNames(manifest)}) as choices (by id or label).`);
  const { q, choiceOf } = best;
  const classes = manifest.output.classes;
  return {
    questionId: q.id,
    level: q.level,
    multiple: q.multiple,
    choiceOf,
    used: classes.flatMap((c, i) => (choiceOf[i] ? [{ model: c.name, choice: choiceOf[i] }] : [])),
    unmatched: classes.filter((_, i) => !choiceOf[i]).map((c) => c.name),
  };
}

/**
 * The model's classes fit the schema (its task's mapping finds at least one class), or a CONFLICT
 * saying why not: checked when a model is attached to a project, before any job runs.
 */
export function requireSchemaFit(manifest: ModelManifest, schema: LabelSchema): void {
  if (manifest.task === 'segmentation') segmentMapping(manifest, schema);
  else if (manifest.task === 'detection') regionMapping(manifest, schema);
  else choiceMapping(manifest, schema);
}
