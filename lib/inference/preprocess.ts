import type { ModelManifest } from './manifest';

/** One image of a series as stored samples and the rescale that turns them into values (HU on CT). */
export type SliceSamples = { samples: ArrayLike<number>; rows: number; columns: number; slope: number; intercept: number };

/**
 * A slice as the model's input wants it: values (HU or raw), resampled to the input size, clipped and
 * normalized as the manifest says. Writes into `out` (rows × columns of the input) and returns it.
 */
export function prepareSlice(slice: SliceSamples, manifest: ModelManifest, out: Float32Array): Float32Array {
  const { preprocessing: p, input } = manifest;
  const [rows, columns] = input.size as [number, number];
  const [slope, intercept] = p.values === 'hu' ? [slice.slope, slice.intercept] : [1, 0];
  const { samples } = slice;
  if (slice.rows === rows && slice.columns === columns) {
    // The common case, without a call per pixel.
    for (let i = 0; i < out.length; i++) out[i] = samples[i]! * slope + intercept;
  } else {
    resample2d((i) => samples[i]! * slope + intercept, slice.rows, slice.columns, out, rows, columns, p.resample);
  }
  let [low, high] = p.clip ?? [-Infinity, Infinity];
  if (p.clip) for (let i = 0; i < out.length; i++) out[i] = Math.min(high, Math.max(low, out[i]!));
  switch (p.normalize.kind) {
    case 'none':
      break;
    case 'minmax': {
      if (!p.clip) [low, high] = valueRange(out);
      const span = high - low || 1;
      for (let i = 0; i < out.length; i++) out[i] = (out[i]! - low) / span;
      break;
    }
    case 'zscore': {
      const { mean, std } = p.normalize;
      for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) / std;
      break;
    }
  }
  return out;
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
