import { byLayerGroups, mergedCounts } from './labelmap-layers.client';
import type { PreparedLabel } from './prepare-label';

type PreviousVersion = { content: string; labelmaps: { seriesId: string; layer: number; counts: string }[] } | null;

/** Regions or measurements of a version against the previous one, matched by id. */
export type ItemChanges = {
  added: number;
  removed: number;
  /** Kept but different: moved, reshaped, given another class or frame. Absent from versions saved before it was counted. */
  edited?: number;
};

export type LabelChanges = {
  /** Voxels per segment value before and after, per series whose labelmap changed. */
  segments: { seriesId: string; value: number; before: number; after: number }[];
  regions: ItemChanges;
  measurements: ItemChanges;
  /** Questions (per series, for series-level ones) answered, re-answered or cleared. */
  answersChanged: number;
};

type Item = { id: string };
type Answer = { questionId: string; seriesInstanceUid?: string; choiceIds: string[] };

/** What a new version changed against the previous one: the "what" of a version's history line. */
export function labelChanges(previous: PreviousVersion, next: PreparedLabel): LabelChanges {
  const empty = { regions: [], measurements: [], answers: [] };
  const before = previous ? (JSON.parse(previous.content) as { regions: Item[]; measurements: Item[]; answers: Answer[] }) : empty;
  const after = JSON.parse(next.content) as typeof before;
  // Per series, over all its layers (a segment moved to another layer has not changed).
  const perSeries = <T extends { seriesId: string; layer: number; counts: Record<string, number> }>(layers: readonly T[]) =>
    new Map([...byLayerGroups(layers, (l) => l.seriesId)].map(([seriesId, group]) => [seriesId, mergedCounts(group)]));
  const oldCounts = perSeries((previous?.labelmaps ?? []).map((l) => ({ ...l, counts: JSON.parse(l.counts) as Record<string, number> })));
  const segments: LabelChanges['segments'] = [];
  for (const [seriesId, counts] of perSeries(next.labelmaps)) {
    const old = oldCounts.get(seriesId) ?? {};
    for (const value of new Set([...Object.keys(old), ...Object.keys(counts)])) {
      const b = old[value] ?? 0;
      const a = counts[value] ?? 0;
      if (a !== b) segments.push({ seriesId, value: Number(value), before: b, after: a });
    }
  }
  return { segments, regions: itemChanges(before.regions, after.regions), measurements: itemChanges(before.measurements, after.measurements), answersChanged: answerChanges(before.answers, after.answers) };
}

function itemChanges(before: Item[], after: Item[]): Required<ItemChanges> {
  // Both sides are canonical JSON parsed back, so equal items serialize alike.
  const was = new Map(before.map((x) => [x.id, JSON.stringify(x)]));
  const is = new Map(after.map((x) => [x.id, JSON.stringify(x)]));
  return {
    added: [...is.keys()].filter((id) => !was.has(id)).length,
    removed: [...was.keys()].filter((id) => !is.has(id)).length,
    edited: [...is].filter(([id, json]) => was.has(id) && was.get(id) !== json).length,
  };
}

function answerChanges(before: Answer[], after: Answer[]): number {
  const key = (a: Answer) => `${a.questionId}\n${a.seriesInstanceUid ?? ''}`;
  const choices = (answers: Answer[]) => new Map(answers.map((a) => [key(a), [...a.choiceIds].sort().join('\n')]));
  const was = choices(before);
  const is = choices(after);
  return [...new Set([...was.keys(), ...is.keys()])].filter((k) => was.get(k) !== is.get(k)).length;
}
