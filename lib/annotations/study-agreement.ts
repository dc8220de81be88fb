import type { LabelSchema } from './label-schema';
import { segmentationAgreement } from './agreement';
import { emptyLabelmapRle } from './labelmap-rle.client';
import type { ReaderLabel } from './reader-labels';

export type PairAgreement = {
  studyId: string;
  seriesInstanceUid: string;
  segment: number;
  segmentName: string;
  readerA: string;
  readerB: string;
  readerAId: string;
  readerBId: string;
  /** True when B is the accepted label (a reader against the reference). */
  againstAccepted: boolean;
  voxelsA: number;
  voxelsB: number;
  dice: number | null;
  iou: number | null;
};

export type AnswerAgreement = { studyId: string; questionId: string; seriesInstanceUid: string | null; answers: { reader: string; choices: string }[]; agree: boolean };

/**
 * Agreement between the readers of one study: per series and segment class, Dice and IoU for every
 * pair of readers and for every reader against the accepted label; and whether their answers to each
 * question agree. A series one reader left unlabeled counts as empty for them.
 */
export async function studyAgreement(labels: readonly ReaderLabel[], schema: LabelSchema): Promise<{ segments: PairAgreement[]; answers: AnswerAgreement[] }> {
  const segments: PairAgreement[] = [];
  const values = schema.segments.map((s) => s.value);
  const nameOf = new Map(schema.segments.map((s) => [s.value, s.name]));
  const accepted = labels.find((l) => l.status === 'accepted');
  const pairs: [ReaderLabel, ReaderLabel, boolean][] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const [a, b] = labels[i] === accepted ? [labels[j]!, labels[i]!] : [labels[i]!, labels[j]!];
      pairs.push([a, b, b === accepted]);
    }
  }
  for (const [a, b, againstAccepted] of pairs) {
    for (const series of new Set([...a.labelmaps.keys(), ...b.labelmaps.keys()])) {
      const la = a.labelmaps.get(series);
      const lb = b.labelmaps.get(series);
      const voxelCount = (la ?? lb)!.voxelCount;
      if (la && lb && la.voxelCount !== lb.voxelCount) continue;
      // Each segment compared on the layers holding it in each copy (one pass per pair of layers).
      const byLayers = new Map<string, { layerA: number; layerB: number; values: number[] }>();
      for (const value of values) {
        const [layerA, layerB] = [la?.layerOf(value) ?? 0, lb?.layerOf(value) ?? 0];
        const key = `${layerA}/${layerB}`;
        if (!byLayers.has(key)) byLayers.set(key, { layerA, layerB, values: [] });
        byLayers.get(key)!.values.push(value);
      }
      const results = [];
      for (const { layerA, layerB, values: layerValues } of byLayers.values()) {
        const [ra, rb] = await Promise.all([la ? la.rle(layerA) : emptyLabelmapRle(voxelCount), lb ? lb.rle(layerB) : emptyLabelmapRle(voxelCount)]);
        results.push(...segmentationAgreement(ra, rb, voxelCount, layerValues));
      }
      for (const r of results.sort((x, y) => x.value - y.value)) {
        if (r.dice === null) continue;
        segments.push({ studyId: a.studyId, seriesInstanceUid: series, segment: r.value, segmentName: nameOf.get(r.value) ?? String(r.value), readerA: a.readerName, readerB: b.readerName, readerAId: a.readerId, readerBId: b.readerId, againstAccepted, voxelsA: r.a, voxelsB: r.b, dice: r.dice, iou: r.iou });
      }
    }
  }
  const answers: AnswerAgreement[] = [];
  for (const q of schema.questions) {
    const keys = new Set(labels.flatMap((l) => l.content.answers.filter((x) => x.questionId === q.id).map((x) => x.seriesInstanceUid ?? '')));
    for (const key of keys) {
      const given = labels.map((l) => ({ reader: l.readerName, choices: [...(l.content.answers.find((x) => x.questionId === q.id && (x.seriesInstanceUid ?? '') === key)?.choiceIds ?? [])].sort().join('+') }));
      answers.push({ studyId: labels[0]!.studyId, questionId: q.id, seriesInstanceUid: key || null, answers: given, agree: new Set(given.map((g) => g.choices)).size === 1 });
    }
  }
  return { segments, answers };
}
