import type { ModelManifest } from './manifest';

/** One image of a series as stored samples and the rescale that turns them into values (HU on CT). */
export type SliceSamples = { samples: ArrayLike<number>; rows: number; columns: number; slope: number; intercept: number };

/**
 * A slice as the model's input wants it: values (HU or raw), resampled to the input size, clipped and
 * normalized as the manifest says. Writes into `out` (rows × columns of the input) and returns it.
 * One pass over the pixels in the common case (same size, normalization known up front): this runs
 * for every slice of every job.
 */
export function prepareSlice(slice: SliceSamples, manifest: ModelManifest, out: Float32Array): Float32Array {
  const { preprocessing: p, input } = manifest;
  const [rows, columns] = input.size as [number, number];
  const [slope, intercept] = p.values === 'hu' ? [slice.slope, slice.intercept] : [1, 0];
  const { samples } = slice;
  const same = slice.rows === rows && slice.columns === columns;
  if (same && !normalizesOverRange(manifest)) {
    const { low, high, scale, shift } = normalization(manifest, null);
    for (let i = 0; i < out.length; i++) {
      const v = samples[i]! * slope + intercept;
      out[i] = (v < low ? low : v > high ? high : v) * scale + shift;
    }
    return out;
  }
  if (same) sliceValues(slice, manifest, out);
  else resample2d((i) => samples[i]! * slope + intercept, slice.rows, slice.columns, out, rows, columns, p.resample);
  applyNormalization(out, normalization(manifest, out));
  return out;
}

/** A slice's values as the manifest's `preprocessing.values` says (HU through the rescale, or as stored), into `out` (its own size). */
export function sliceValues(slice: SliceSamples, manifest: ModelManifest, out: Float32Array): Float32Array {
  const [slope, intercept] = manifest.preprocessing.values === 'hu' ? [slice.slope, slice.intercept] : [1, 0];
  const { samples } = slice;
  for (let i = 0; i < out.length; i++) out[i] = samples[i]! * slope + intercept;
  return out;
}

/** `minmax` without a clip: the values' own range is needed before they can be scaled. */
const normalizesOverRange = (manifest: ModelManifest) => manifest.preprocessing.normalize.kind === 'minmax' && !manifest.preprocessing.clip;

/** Clip bounds, then a linear map v·scale + shift. */
export type Normalization = { low: number; high: number; scale: number; shift: number };

/**
 * The manifest's clip and normalization as bounds and a linear map: `minmax` maps [low, high] (the
 * clip, or the range of `values` without one) to [0, 1]; `zscore` subtracts the mean and divides by
 * the standard deviation. `values` is read only for `minmax` without a clip.
 */
export function normalization(manifest: ModelManifest, values: Float32Array | null): Normalization {
  const p = manifest.preprocessing;
  const [low, high] = p.clip ?? (normalizesOverRange(manifest) && values ? valueRange(values) : [-Infinity, Infinity]);
  switch (p.normalize.kind) {
    case 'none':
      return { low, high, scale: 1, shift: 0 };
    case 'minmax': {
      const scale = 1 / (high - low || 1);
      return { low, high, scale, shift: -low * scale };
    }
    case 'zscore':
      return { low, high, scale: 1 / p.normalize.std, shift: -p.normalize.mean / p.normalize.std };
  }
}

/** Clips and maps `values` in place. */
export function applyNormalization(values: Float32Array, { low, high, scale, shift }: Normalization): void {
  if (low === -Infinity && high === Infinity && scale === 1 && shift === 0) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = (v < low ? low : v > high ? high : v) * scale + shift;
  }
}

/** The lowest and highest value ([0, 0] for none). */
export function valueRange(values: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return values.length ? [low, high] : [0, 0];
}

/**
 * Resamples a rows × columns image (read through `at(index)`) to outRows × outColumns, pixel centres
 * aligned; nearest neighbour or bilinear. Same size: a copy.
 */
export function resample2d(at: (index: number) => number, rows: number, columns: number, out: Float32Array | Uint8Array, outRows: number, outColumns: number, mode: 'nearest' | 'linear') {
  const sy = rows / outRows;
  const sx = columns / outColumns;
  for (let y = 0; y < outRows; y++) {
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    for (let x = 0; x < outColumns; x++) {
      const fx = Math.min(columns - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      if (mode === 'nearest' || (rows === outRows && columns === outColumns)) {
        out[y * outColumns + x] = at(Math.round(fy) * columns + Math.round(fx));
        continue;
      }
      const y0 = Math.floor(fy);
      const x0 = Math.floor(fx);
      const y1 = Math.min(rows - 1, y0 + 1);
      const x1 = Math.min(columns - 1, x0 + 1);
      const wy = fy - y0;
      const wx = fx - x0;
      const top = at(y0 * columns + x0) * (1 - wx) + at(y0 * columns + x1) * wx;
      const bottom = at(y1 * columns + x0) * (1 - wx) + at(y1 * columns + x1) * wx;
      out[y * outColumns + x] = top * (1 - wy) + bottom * wy;
    }
  }
}
