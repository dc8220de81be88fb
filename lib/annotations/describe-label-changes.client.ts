import type { LabelChanges } from './label-changes';

/**
 * A version's changes in words, for its line in the labeling panel's history: voxels gained or lost
 * per segment (all series together), regions, measurements and answers.
 */
export function describeLabelChanges(changes: LabelChanges, segments: readonly { value: number; name: string }[]): string[] {
  const parts: string[] = [];
  const delta = new Map<number, number>();
  for (const s of changes.segments) delta.set(s.value, (delta.get(s.value) ?? 0) + s.after - s.before);
  for (const [value, change] of [...delta].sort(([a], [b]) => a - b)) {
    if (change === 0) continue;
    const name = segments.find((s) => s.value === value)?.name ?? `Segment ${value}`;
    parts.push(`${name} ${change > 0 ? '+' : '−'}${Math.abs(change).toLocaleString('en')} voxels`);
  }
  for (const [noun, items] of [['region', changes.regions], ['measurement', changes.measurements]] as const) {
    for (const [verb, n] of [['added', items.added], ['edited', items.edited ?? 0], ['removed', items.removed]] as const) {
      if (n > 0) parts.push(`${n} ${noun}${n === 1 ? '' : 's'} ${verb}`);
    }
  }
  if (changes.answersChanged > 0) parts.push(`${changes.answersChanged} answer${changes.answersChanged === 1 ? '' : 's'} changed`);
  return parts.length ? parts : ['no change'];
}
