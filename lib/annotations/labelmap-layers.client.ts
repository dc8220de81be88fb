/**
 * A series' segmentation is one or more labelmap layers on the same voxel grid: layer 0, and for
 * segments that overlap it, layers 1, 2, … Each segment is on one layer, so a segment's voxels are
 * the voxels of its layer holding its value, and a voxel may be in several segments (one per layer).
 */

/** What every stored or prepared layer says about itself. */
export type LayerInfo = { layer: number; counts: Record<string, number> };

/** Problems with one series' layers: numbered 0, 1, … without gaps or repeats, each segment on one layer. */
export function layerProblems(layers: readonly LayerInfo[]): string[] {
  const problems: string[] = [];
  const numbers = layers.map((l) => l.layer).sort((a, b) => a - b);
  if (numbers.some((n, i) => n !== i)) problems.push(`its layers are ${numbers.join(', ')}; they must be numbered 0, 1, … without gaps or repeats`);
  const on = new Map<string, number>();
  for (const l of layers) {
    for (const value of Object.keys(l.counts)) {
      const other = on.get(value);
      if (other !== undefined) problems.push(`segment ${value} is on layers ${other} and ${l.layer}; a segment is on one layer`);
      on.set(value, l.layer);
    }
  }
  return problems;
}

/** The layer holding segment `value` (layer 0 when none holds it: the segment is empty everywhere). */
export function layerOf<T extends LayerInfo>(layers: readonly T[], value: number): T | undefined {
  return layers.find((l) => (l.counts[String(value)] ?? 0) > 0) ?? layers.find((l) => l.layer === 0) ?? layers[0];
}

/** Voxels per segment over all layers (segments are on one layer each, so nothing is counted twice). */
export function mergedCounts(layers: readonly LayerInfo[]): Record<string, number> {
  return Object.assign({}, ...[...layers].sort((a, b) => a.layer - b.layer).map((l) => l.counts)) as Record<string, number>;
}

/** Groups items by a key, each group's layers in order. */
export function byLayerGroups<T extends { layer: number }>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.layer - b.layer);
  return groups;
}

/**
 * One labelmap from a series' decoded layers, for formats with one label per voxel (NIfTI, nnU-Net,
 * MONAI): where segments overlap, the higher-numbered one (as a DICOM-SEG importer that cannot keep
 * overlaps does). A single layer is returned as it is; otherwise the layers are left alone.
 */
export function flattenLayers(layers: readonly Uint8Array[]): Uint8Array {
  const [first, ...rest] = layers;
  if (!first) throw new RangeError('a series has at least one labelmap layer');
  if (!rest.length) return first;
  const out = first.slice();
  for (const layer of rest) {
    if (layer.length !== out.length) throw new RangeError('labelmap layers of one series have one size');
    for (let i = 0; i < out.length; i++) {
      const v = layer[i]!;
      if (v > out[i]!) out[i] = v;
    }
  }
  return out;
}
