import type { PreparedLabel } from './prepare-label';

type PreviousVersion = { content: string; labelmaps: { seriesId: string; counts: string }[] } | null;

export type LabelChanges = {
  /** Voxels per segment value before and after, per series whose labelmap changed. */
  segments: { seriesId: string; value: number; before: number; after: number }[];
  regions: { added: number; removed: number };
  measurements: { added: number; removed: number };
  answersChanged: number;
};

/** What a new version changed against the previous one: the "what" of a version's history line. */
export function labelChanges(previous: PreviousVersion, next: PreparedLabel): LabelChanges {
  const before = previous ? (JSON.parse(previous.content) as { regions: { id: string }[]; measurements: { id: string }[]; answers: unknown[] }) : { regions: [], measurements: [], answers: [] };
  const after = JSON.parse(next.content) as typeof before;
  const diff = (a: { id: string }[], b: { id: string }[]) => {
    const was = new Set(a.map((x) => x.id));
    const is = new Set(b.map((x) => x.id));
    return { added: [...is].filter((id) => !was.has(id)).length, removed: [...was].filter((id) => !is.has(id)).length };
  };
  const oldCounts = new Map((previous?.labelmaps ?? []).map((l) => [l.seriesId, JSON.parse(l.counts) as Record<string, number>]));
  const segments: LabelChanges['segments'] = [];
  for (const l of next.labelmaps) {
    const old = oldCounts.get(l.seriesId) ?? {};
    for (const value of new Set([...Object.keys(old), ...Object.keys(l.counts)])) {
      const b = old[value] ?? 0;
      const a = l.counts[value] ?? 0;
      if (a !== b) segments.push({ seriesId: l.seriesId, value: Number(value), before: b, after: a });
    }
  }
  const answerKey = (answers: unknown[]) => new Set(answers.map((a) => JSON.stringify(a)));
  const oldAnswers = answerKey(before.answers);
  const newAnswers = answerKey(after.answers);
  return {
    segments,
    regions: diff(before.regions, after.regions),
    measurements: diff(before.measurements, after.measurements),
    answersChanged: [...newAnswers].filter((a) => !oldAnswers.has(a)).length + [...oldAnswers].filter((a) => !newAnswers.has(a)).length,
  };
}
