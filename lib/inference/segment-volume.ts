import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '@/lib/errors/app-error';
import type { ModelManifest } from './manifest';
import { classesOf, removeSmallComponents3d } from './postprocess';
import { applyNormalization, normalization, valueRange } from './preprocess';
import type { ReadyModel } from './registry';
import { sessionFor } from './session-pool';

export type VolumeRunStats = { patches: number; batches: number; runMs: number };

/**
 * A series as one volume. `values`: slice-major (slices × rows × columns) values already converted
 * as the manifest's `preprocessing.values` says (HU through the rescale, or raw); `spacing`:
 * [slice, row, column] in mm, null when unknown.
 */
export type VolumeSamples = { values: Float32Array; slices: number; rows: number; columns: number; spacing: [number, number, number] | null };

type Triple = [number, number, number];

/**
 * Weights below this (relative to the centre's 1) are raised to it, as MONAI does: a voxel seen
 * only near the corners of its patches still gets a well-defined average.
 */
const MIN_WEIGHT = 1e-3;

/**
 * Segments a volume with a 3D model the way MONAI's and nnU-Net's sliding-window inference do:
 * resampled to the model's spacing (when both spacings are known), clipped and normalized, padded
 * with background (the lowest normalized value) along axes shorter than a patch, read in patches of
 * `input.size` overlapping by `overlap` (the last one on each axis aligned to the end, so every voxel
 * is seen), `batch` patches per run. Scores are blended with a Gaussian importance map (the centre
 * of a patch, where the network saw the most context, counts most), so patch seams do not show;
 * `labels` outputs take, per voxel, the label of the patch in which it is most central. The class
 * numbers (1 + the class's position in the manifest, 0: none; or `classValues` of that number) come back on the volume's own grid
 * (nearest neighbour), with 3D components smaller than `minComponentVoxels` removed.
 *
 * Memory, V′ being the voxels of the resampled grid, V those of the volume, C the output channels
 * (1 for labels), P the voxels of a patch: 4·V′·(C + 2) bytes (normalized volume, blended scores,
 * summed weights) + V′ + V bytes (class maps) + 4·P·(batch·(C + 1) + 1) (input, output, importance
 * map). A 512² × 200 CT at 0.8 × 0.8 × 2.5 mm taken to 1.5 mm (≈ 25 M voxels) with 2 channels
 * needs ≈ 0.5 GB besides the caller’s values.
 *
 * `signal` is checked before each batch; `onProgress(patchesDone, patchesTotal)` is awaited after each.
 */
export async function segmentVolume(
  model: ReadyModel,
  volume: VolumeSamples,
  {
    signal,
    stats,
    onProgress,
    classValues,
  }: { signal?: AbortSignal; stats?: VolumeRunStats; onProgress?: (done: number, total: number) => void | Promise<void>; classValues?: Uint8Array } = {},
): Promise<Uint8Array> {
  const { manifest } = model;
  const { mode } = manifest.preprocessing;
  if (mode.kind !== 'sliding3d' || manifest.input.layout !== 'NCDHW') throw new AppError('CONFLICT', `${manifest.name} is a 2D model: it runs slice by slice, not on volumes.`);
  if (manifest.input.channels !== 1) throw new AppError('CONFLICT', `${manifest.name} takes ${manifest.input.channels} channels; Cohort feeds 3D models one greyscale channel.`);
  const kind = manifest.output.kind;
  if (kind !== 'scores' && kind !== 'labels') throw new AppError('CONFLICT', `${manifest.name} outputs ${kind}, not a segmentation.`);
  const { slices, rows, columns } = volume;
  if (volume.values.length !== slices * rows * columns) {
    throw new AppError('BAD_REQUEST', `The volume has ${volume.values.length} values for ${slices} × ${rows} × ${columns} voxels.`);
  }
  signal?.throwIfAborted();
  const session = await sessionFor(model.sha256, () => readFile(path.join(model.dir, manifest.file)));

  const original: Triple = [slices, rows, columns];
  const grid = modelGrid(original, volume.spacing, manifest.input.spacing as Triple | null);
  const resampled = grid.some((n, a) => n !== original[a]);
  const image = resampled ? resample3d(volume.values, original, new Float32Array(grid[0] * grid[1] * grid[2]), grid, manifest.preprocessing.resample) : volume.values.slice();
  const background = normalize(image, manifest);

  const size = manifest.input.size as Triple;
  const patch = size[0] * size[1] * size[2];
  const voxels = image.length;
  const starts = grid.map((n, a) => windowStarts(n, size[a]!, mode.overlap));
  const origins: Triple[] = [];
  for (const z of starts[0]!) for (const y of starts[1]!) for (const x of starts[2]!) origins.push([z, y, x]);
  // Labels are compared on the raw map, so no two patches tie where the floor would flatten it.
  const importance = gaussianImportance(size, kind === 'scores' ? MIN_WEIGHT : 0);
  const input = new Float32Array(mode.batch * patch);
  // Blended scores (channel-major) or labels; summed weights (scores) or the best weight so far (labels).
  let blended: Float32Array | null = null;
  let channels = 0;
  const weight = new Float32Array(voxels);

  for (let first = 0; first < origins.length; first += mode.batch) {
    signal?.throwIfAborted();
    const batch = origins.slice(first, first + mode.batch);
    batch.forEach((origin, k) => extractPatch(image, grid, origin, size, background, input.subarray(k * patch, (k + 1) * patch)));
    const started = performance.now();
    const outputs = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input.subarray(0, batch.length * patch), [batch.length, 1, ...size]) });
    if (stats) {
      stats.runMs += performance.now() - started;
      stats.batches++;
      stats.patches += batch.length;
    }
    try {
      const output = outputs[manifest.output.name]!;
      const perPatch = output.data.length / batch.length;
      const fits = output.dims.slice(-3).every((d, a) => Number(d) === size[a]) && Number.isInteger(perPatch / patch) && perPatch >= patch && (kind === 'scores' || perPatch === patch);
      if (!fits) throw new AppError('CONFLICT', `${manifest.name} gave an output of shape [${output.dims.join(', ')}] for ${batch.length} patches of ${size.join(' × ')}.`);
      const data = output.data instanceof Float32Array ? output.data : Float32Array.from(output.data as ArrayLike<number | bigint>, (v) => Number(v));
      if (!blended) {
        channels = perPatch / patch;
        blended = new Float32Array(channels * voxels);
      }
      batch.forEach((origin, k) => {
        const scores = data.subarray(k * perPatch, (k + 1) * perPatch);
        if (kind === 'scores') addScores(blended!, weight, grid, scores, channels, origin, size, importance);
        else keepLabels(blended!, weight, grid, scores, origin, size, importance);
      });
    } finally {
      for (const out of Object.values(outputs)) out.dispose();
    }
    await onProgress?.(first + batch.length, origins.length);
  }

  if (kind === 'scores') {
    for (let c = 0; c < channels; c++) {
      const plane = blended!.subarray(c * voxels, (c + 1) * voxels);
      for (let i = 0; i < voxels; i++) plane[i]! /= weight[i]!;
    }
  }
  const classes = classesOf(blended!, channels, voxels, manifest, new Uint8Array(voxels), classValues);
  const own = resampled ? resample3d(classes, grid, new Uint8Array(slices * rows * columns), original, 'nearest') : classes;
  removeSmallComponents3d(own, slices, rows, columns, manifest.postprocessing.minComponentVoxels);
  return own;
}

/**
 * About how many bytes segmentVolume needs for a volume of these dimensions (the caller's values
 * included), from the formula above with C the channels the manifest's classes imply: what a job
 * checks before it reads the series, to refuse rather than run out of memory.
 */
export function volumeMemoryBytes(manifest: ModelManifest, dims: Triple, spacing: Triple | null): number {
  const original = dims[0] * dims[1] * dims[2];
  const grid = modelGrid(dims, spacing, manifest.input.spacing as Triple | null);
  const resampled = grid[0] * grid[1] * grid[2];
  const channels = manifest.output.kind === 'labels' ? 1 : Math.max(...manifest.output.classes.map((c) => c.index)) + 1;
  const patch = manifest.input.size.reduce((a, b) => a * b, 1);
  const batch = manifest.preprocessing.mode.kind === 'sliding3d' ? manifest.preprocessing.mode.batch : 1;
  return 4 * original + 4 * resampled * (channels + 2) + resampled + original + 4 * patch * (batch * (channels + 1) + 1);
}

/** The grid of the volume at the model's spacing; the volume's own when either spacing is unknown. */
function modelGrid(size: Triple, spacing: Triple | null, target: Triple | null): Triple {
  if (!spacing || !target || !spacing.every((s) => Number.isFinite(s) && s > 0)) return size;
  return size.map((n, a) => Math.max(1, Math.round((n * spacing[a]!) / target[a]!))) as Triple;
}

/**
 * Clips and normalizes in place as the manifest says (as prepareSlice does for 2D models, minmax
 * without a clip over the whole volume's range); returns the background value patches are padded
 * with: the clip's low end normalized, or the volume's lowest value.
 */
function normalize(values: Float32Array, manifest: ModelManifest): number {
  const n = normalization(manifest, values);
  applyNormalization(values, n);
  const low = n.low === -Infinity ? valueRange(values)[0] : n.low * n.scale + n.shift;
  return Math.fround(low);
}

/**
 * Where the patches of one axis start: every `step` (the patch's size less the overlap, at least 1)
 * and a last one flush with the end. An axis shorter than the patch has one, centred on the padded
 * axis (a negative start), as MONAI and nnU-Net pad.
 */
function windowStarts(length: number, size: number, overlap: number): number[] {
  if (length <= size) return [-Math.floor((size - length) / 2)];
  const step = Math.max(1, Math.floor(size * (1 - overlap)));
  const starts: number[] = [];
  for (let s = 0; s < length - size; s += step) starts.push(s);
  starts.push(length - size);
  return starts;
}

/**
 * nnU-Net's importance map for a patch of `size` ([D, H, W]): a Gaussian centred on the patch with
 * sigma 1/8 of its size per axis, 1 at its highest, raised to `floor` where lower.
 */
export function gaussianImportance(size: Triple, floor: number): Float32Array {
  const axis = (n: number) => {
    const sigma = n / 8;
    const centre = (n - 1) / 2;
    const g = Array.from({ length: n }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
    const top = Math.max(...g);
    return g.map((v) => v / top);
  };
  const [gz, gy, gx] = size.map(axis) as [number[], number[], number[]];
  const map = new Float32Array(size[0] * size[1] * size[2]);
  let i = 0;
  for (const wz of gz) for (const wy of gy) for (const wx of gx) map[i++] = Math.max(floor, wz * wy * wx);
  return map;
}

/** The patch at `origin` into `out` (the patch's voxels), voxels outside the volume as `background`. */
function extractPatch(image: Float32Array, [S, R, C]: Triple, [oz, oy, ox]: Triple, [D, H, W]: Triple, background: number, out: Float32Array) {
  const xa = Math.max(0, -ox);
  const xb = Math.min(W, C - ox);
  for (let z = 0; z < D; z++) {
    const vz = oz + z;
    for (let y = 0; y < H; y++) {
      const vy = oy + y;
      const p = (z * H + y) * W;
      if (vz < 0 || vz >= S || vy < 0 || vy >= R) {
        out.fill(background, p, p + W);
        continue;
      }
      const v = (vz * R + vy) * C + ox;
      out.fill(background, p, p + xa);
      out.set(image.subarray(v + xa, v + xb), p + xa);
      out.fill(background, p + xb, p + W);
    }
  }
}

/** Calls `row(p, v, xa, xb)` for each row of the patch at `origin` inside the volume: patch and volume offsets of x = 0 and the x range inside. */
function eachRow([S, R, C]: Triple, [oz, oy, ox]: Triple, [D, H, W]: Triple, row: (p: number, v: number, xa: number, xb: number) => void) {
  const xa = Math.max(0, -ox);
  const xb = Math.min(W, C - ox);
  for (let z = Math.max(0, -oz); z < Math.min(D, S - oz); z++) {
    for (let y = Math.max(0, -oy); y < Math.min(H, R - oy); y++) row((z * H + y) * W, ((oz + z) * R + oy + y) * C + ox, xa, xb);
  }
}

function addScores(blended: Float32Array, weight: Float32Array, grid: Triple, scores: Float32Array, channels: number, origin: Triple, size: Triple, importance: Float32Array) {
  const voxels = weight.length;
  const patch = importance.length;
  eachRow(grid, origin, size, (p, v, xa, xb) => {
    for (let x = xa; x < xb; x++) weight[v + x]! += importance[p + x]!;
    for (let c = 0; c < channels; c++) {
      const to = c * voxels + v;
      const from = c * patch + p;
      for (let x = xa; x < xb; x++) blended[to + x]! += importance[p + x]! * scores[from + x]!;
    }
  });
}

function keepLabels(labels: Float32Array, best: Float32Array, grid: Triple, patchLabels: Float32Array, origin: Triple, size: Triple, importance: Float32Array) {
  eachRow(grid, origin, size, (p, v, xa, xb) => {
    for (let x = xa; x < xb; x++) {
      if (importance[p + x]! <= best[v + x]!) continue;
      best[v + x] = importance[p + x]!;
      labels[v + x] = patchLabels[p + x]!;
    }
  });
}

/**
 * Resamples a slice-major volume of `from` voxels to `to`, voxel centres aligned (as resample2d):
 * nearest neighbour or trilinear. Writes into `out` and returns it.
 */
function resample3d<T extends Float32Array | Uint8Array>(values: Float32Array | Uint8Array, from: Triple, out: T, to: Triple, mode: 'nearest' | 'linear'): T {
  const [az, ay, ax] = from.map((n, a) => axisSamples(n, to[a]!, mode)) as [AxisSamples, AxisSamples, AxisSamples];
  const [, R, C] = from;
  let i = 0;
  for (let z = 0; z < to[0]; z++) {
    const z0 = az.lower[z]! * R;
    const z1 = az.upper[z]! * R;
    const wz = az.weight[z]!;
    for (let y = 0; y < to[1]; y++) {
      const r00 = (z0 + ay.lower[y]!) * C;
      const r01 = (z0 + ay.upper[y]!) * C;
      const r10 = (z1 + ay.lower[y]!) * C;
      const r11 = (z1 + ay.upper[y]!) * C;
      const wy = ay.weight[y]!;
      for (let x = 0; x < to[2]; x++) {
        const x0 = ax.lower[x]!;
        if (mode === 'nearest') {
          out[i++] = values[r00 + x0]!;
          continue;
        }
        const x1 = ax.upper[x]!;
        const wx = ax.weight[x]!;
        const v00 = values[r00 + x0]! + (values[r00 + x1]! - values[r00 + x0]!) * wx;
        const v01 = values[r01 + x0]! + (values[r01 + x1]! - values[r01 + x0]!) * wx;
        const v10 = values[r10 + x0]! + (values[r10 + x1]! - values[r10 + x0]!) * wx;
        const v11 = values[r11 + x0]! + (values[r11 + x1]! - values[r11 + x0]!) * wx;
        const near = v00 + (v01 - v00) * wy;
        const far = v10 + (v11 - v10) * wy;
        out[i++] = near + (far - near) * wz;
      }
    }
  }
  return out;
}

type AxisSamples = { lower: Int32Array; upper: Int32Array; weight: Float64Array };

/** For each of `to` output positions along an axis of `from`: the input positions either side and the weight of the upper one (nearest: the one position). */
function axisSamples(from: number, to: number, mode: 'nearest' | 'linear'): AxisSamples {
  const lower = new Int32Array(to);
  const upper = new Int32Array(to);
  const weight = new Float64Array(to);
  for (let i = 0; i < to; i++) {
    const f = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
    lower[i] = mode === 'nearest' ? Math.round(f) : Math.floor(f);
    upper[i] = mode === 'nearest' ? lower[i]! : Math.min(from - 1, lower[i]! + 1);
    weight[i] = f - lower[i]!;
  }
  return { lower, upper, weight };
}
