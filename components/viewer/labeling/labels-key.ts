import type { SaveAnnotationInput } from '@/lib/annotations/schemas';

/**
 * What a save would store, as one string that is the same whatever order the regions, measurements,
 * answers, labelmaps and their fields come in: the labels as loaded and as the viewer reads them
 * back after restoring them list the same things in different orders.
 */
export function labelsKey({ baseVersion, schemaVersion, content, labelmaps, proposals }: Omit<SaveAnnotationInput, 'reason'>): string {
  const set = (items: readonly unknown[]) => items.map(stableJson).sort();
  return JSON.stringify([
    baseVersion,
    schemaVersion,
    set(content.regions),
    set(content.measurements),
    set(content.answers),
    set(labelmaps.map(({ seriesInstanceUid, layer, columns, rows, slices, rle }) => ({ seriesInstanceUid, layer, columns, rows, slices, rle }))),
    set(proposals),
  ]);
}

/** JSON with every object's keys in order: equal values, equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
