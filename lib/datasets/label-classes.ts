import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { AnnotationContent } from '@/lib/annotations/schemas';

/**
 * The classes a label contains, by the names people filter and balance by: a segment class with any
 * voxels, a box or polygon class with any region, and "question: choice" for each answer given.
 */
export function labelClasses(schema: LabelSchema, content: Pick<AnnotationContent, 'regions' | 'answers'>, segmentVoxels: ReadonlyMap<number, number>): string[] {
  const out = new Set<string>();
  for (const s of schema.segments) if ((segmentVoxels.get(s.value) ?? 0) > 0) out.add(s.name);
  const regionNames = new Map([...schema.boxes, ...schema.polygons].map((c) => [c.id, c.name]));
  for (const r of content.regions) out.add(regionNames.get(r.classId) ?? r.classId);
  const questions = new Map(schema.questions.map((q) => [q.id, q]));
  for (const a of content.answers) {
    const q = questions.get(a.questionId);
    for (const choiceId of a.choiceIds) out.add(answerClass(q?.question ?? a.questionId, q?.choices.find((c) => c.id === choiceId)?.label ?? choiceId));
  }
  return [...out].sort();
}

/** Every class a schema can produce, in the same names: what the dataset's class filter offers. */
export function schemaClasses(schema: LabelSchema): string[] {
  return [
    ...schema.segments.map((s) => s.name),
    ...[...schema.boxes, ...schema.polygons].map((c) => c.name),
    ...schema.questions.flatMap((q) => q.choices.map((c) => answerClass(q.question, c.label))),
  ];
}

function answerClass(question: string, choice: string): string {
  return `${question}: ${choice}`;
}
