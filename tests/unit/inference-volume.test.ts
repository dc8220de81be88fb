/**
 * 3D sliding-window inference on real ONNX Runtime sessions, with graphs built here: results are
 * compared with the same thresholds, convolutions and blends worked out directly in JS, and the 3D
 * component filter with a plain voxel flood fill.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeSmallComponents3d } from '@/lib/inference/postprocess';
import { loadModel, type ReadyModel } from '@/lib/inference/registry';
import { gaussianImportance, segmentVolume, type VolumeRunStats, type VolumeSamples } from '@/lib/inference/segment-volume';
import { closeSessions } from '@/lib/inference/session-pool';
import { OnnxGraph } from '@/models/onnx-graph';
import { SHIPPED_MODEL } from '../helpers/model-dirs';
import { seededRandom } from '@/models/seeded-random';

afterAll(closeSessions);

type Triple = [number, number, number];
type Json = Record<string, unknown>;

const example = JSON.parse(readFileSync('docs/examples/sliding-window-3d.manifest.json', 'utf8')) as Json;

/** A model folder in a temp dir: `onnx` with the example manifest changed by `edit`, loaded and checked by the registry. */
async function volumeModel(onnx: Uint8Array, edit: (m: Json) => void): Promise<ReadyModel> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cohort-model3d-')), 'model');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  const manifest = structuredClone(example);
  delete manifest.$schema;
  manifest.sha256 = createHash('sha256').update(onnx).digest('hex');
  manifest.postprocessing = { activation: 'argmax', minComponentVoxels: 0 };
  edit(manifest);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  const model = await loadModel(dir);
  expect(model.problems).toEqual([]);
  return model as ReadyModel;
}

const bytes = (g: OnnxGraph, shape: (number | string)[], channels: number) =>
  g.toBytes({ input: { name: 'x', shape }, output: { name: 'y', shape: [shape[0]!, channels, ...shape.slice(2)] }, doc: 'test', metadata: {} });

/** Three channels [0, x − a, 2x − a − b]: argmax is none below a, class 1 in [a, b), class 2 from b. */
function thresholdGraph(size: Triple, a: number, b: number): Uint8Array {
  const g = new OnnxGraph();
  const zero = g.op('Mul', ['x', g.floats('zero', [0])]);
  const one = g.op('Sub', ['x', g.floats('a', [a])]);
  const two = g.op('Sub', [g.op('Mul', ['x', g.floats('two', [2])]), g.floats('ab', [a + b])]);
  g.op('Concat', [zero, one, two], { axis: 1 }, 'y');
  return bytes(g, ['n', 1, ...size], 3);
}

const threeClasses = { name: 'y', kind: 'scores', classes: [{ index: 1, name: 'A' }, { index: 2, name: 'B' }] };
const input = (size: Triple, spacing: Triple | null = null) => ({ name: 'x', layout: 'NCDHW', dtype: 'float32', channels: 1, size, spacing });
const raw = (over: Json = {}) => ({ values: 'raw', normalize: { kind: 'none' }, resample: 'nearest', mode: { kind: 'sliding3d', overlap: 0.5, batch: 2 }, ...over });

function randomVolume(seed: number, [slices, rows, columns]: Triple, spacing: Triple | null = null, low = 0, high = 1): VolumeSamples {
  const random = seededRandom(seed);
  const values = Float32Array.from({ length: slices * rows * columns }, () => low + random() * (high - low));
  return { values, slices, rows, columns, spacing };
}

const classify = (v: number, a: number, b: number) => (v >= b ? 2 : v > a ? 1 : 0);
const newStats = (): VolumeRunStats => ({ patches: 0, batches: 0, runMs: 0 });

describe('sliding-window inference of a pointwise model', () => {
  it('classifies every voxel as the threshold does, on a volume not a multiple of the patch and thinner than it', async () => {
    const size: Triple = [8, 16, 16];
    const model = await volumeModel(thresholdGraph(size, 0.3, 0.7), (m) => {
      m.input = input(size);
      // HU clipped to [-100, 300] and scaled to 0..1: 0.3 and 0.7 are 20 and 180 HU.
      m.preprocessing = { values: 'hu', clip: [-100, 300], normalize: { kind: 'minmax' }, resample: 'linear', mode: { kind: 'sliding3d', overlap: 0.25, batch: 3 } };
      m.output = threeClasses;
    });
    const volume = randomVolume(1, [5, 37, 21], null, -300, 500);
    const stats = newStats();
    const classes = await segmentVolume(model, volume, { stats });
    const expected = volume.values.map((hu) => classify((Math.min(300, Math.max(-100, hu)) + 100) / 400, 0.3, 0.7));
    expect(classes).toEqual(Uint8Array.from(expected));
    // Slices: 1 window (padded); rows: step 12 → 0, 12, 21; columns: 0, 5.
    expect(stats).toMatchObject({ patches: 1 * 3 * 2, batches: 2 });
    // The components filter runs on the result, per volume.
    const filtered = await segmentVolume(await volumeModel(thresholdGraph(size, 0.3, 0.7), (m) => {
      m.input = input(size);
      m.preprocessing = { values: 'hu', clip: [-100, 300], normalize: { kind: 'minmax' }, resample: 'linear', mode: { kind: 'sliding3d', overlap: 0.25, batch: 3 } };
      m.output = threeClasses;
      m.postprocessing = { activation: 'argmax', minComponentVoxels: 4 };
    }), volume);
    expect(filtered).toEqual(floodFillReference(Uint8Array.from(expected), 5, 37, 21, 4));
    expect(filtered).not.toEqual(classes);
  });

  it('covers every voxel with overlap 0 and 0.5, with the number of patches the steps give', async () => {
    const size: Triple = [8, 16, 16];
    const volume = randomVolume(2, [20, 40, 37]);
    for (const [overlap, patches] of [
      // Steps 8, 16, 16: slices 0, 8, 12; rows 0, 16, 24; columns 0, 16, 21.
      [0, 3 * 3 * 3],
      // Steps 4, 8, 8: slices 0, 4, 8, 12; rows 0, 8, 16, 24; columns 0, 8, 16, 21.
      [0.5, 4 * 4 * 4],
    ] as const) {
      // Every voxel is at least −1 (class 1): a voxel no patch covered would be 0.
      const everywhere = await volumeModel(thresholdGraph(size, -1, 0.5), (m) => {
        m.input = input(size);
        m.preprocessing = raw({ mode: { kind: 'sliding3d', overlap, batch: 4 } });
        m.output = threeClasses;
      });
      const stats = newStats();
      const classes = await segmentVolume(everywhere, volume, { stats });
      expect(classes).toEqual(Uint8Array.from(volume.values, (v) => classify(v, -1, 0.5)));
      expect(classes.includes(0)).toBe(false);
      expect(stats).toMatchObject({ patches, batches: Math.ceil(patches / 4) });
    }
  });

  it('resamples to the model spacing and back to the volume grid', async () => {
    const size: Triple = [8, 16, 16];
    const model = (resample: string) =>
      volumeModel(thresholdGraph(size, 0.3, 0.7), (m) => {
        m.input = input(size, [1, 1, 1]);
        m.preprocessing = raw({ resample, mode: { kind: 'sliding3d', overlap: 0, batch: 1 } });
        m.output = threeClasses;
      });
    // 5 slices 2 mm apart are 10 slices at 1 mm: two windows along slices instead of one.
    const thick = randomVolume(3, [5, 12, 12], [2, 1, 1]);
    let stats = newStats();
    expect(await segmentVolume(await model('nearest'), thick, { stats })).toEqual(Uint8Array.from(thick.values, (v) => classify(v, 0.3, 0.7)));
    expect(stats.patches).toBe(2);
    stats = newStats();
    expect(await segmentVolume(await model('nearest'), { ...thick, spacing: null }, { stats })).toEqual(Uint8Array.from(thick.values, (v) => classify(v, 0.3, 0.7)));
    expect(stats.patches).toBe(1);
    // Half-millimetre pixels in 2 × 2 blocks: trilinear down to 1 mm averages equal pixels, back up is each block.
    const coarse = randomVolume(4, [8, 10, 9]);
    const fine = new Float32Array(8 * 20 * 18);
    for (let z = 0; z < 8; z++) for (let y = 0; y < 20; y++) for (let x = 0; x < 18; x++) fine[(z * 20 + y) * 18 + x] = coarse.values[(z * 10 + (y >> 1)) * 9 + (x >> 1)]!;
    stats = newStats();
    expect(await segmentVolume(await model('linear'), { values: fine, slices: 8, rows: 20, columns: 18, spacing: [1, 0.5, 0.5] }, { stats })).toEqual(Uint8Array.from(fine, (v) => classify(v, 0.3, 0.7)));
    expect(stats.patches).toBe(1);
  });

  it('thresholds blended probabilities as they are (activation none): weighted means, not sums', async () => {
    const size: Triple = [4, 8, 8];
    const g = new OnnxGraph();
    g.op('Identity', ['x'], {}, 'y');
    const model = await volumeModel(bytes(g, ['n', 1, ...size], 1), (m) => {
      m.input = input(size);
      m.preprocessing = raw({ mode: { kind: 'sliding3d', overlap: 0.75, batch: 8 } });
      m.output = { name: 'y', kind: 'scores', classes: [{ index: 0, name: 'A' }] };
      m.postprocessing = { activation: 'none', threshold: 0.6 };
    });
    const volume = randomVolume(12, [7, 19, 10]);
    const stats = newStats();
    expect(await segmentVolume(model, volume, { stats })).toEqual(Uint8Array.from(volume.values, (v) => (v >= 0.6 ? 1 : 0)));
    // Steps 1, 2, 2: slices 0–3, rows 0, 2, …, 10, 11, columns 0, 2.
    expect(stats.patches).toBe(4 * 7 * 2);
  });

  it('reads labels outputs through the manifest classes', async () => {
    const size: Triple = [4, 8, 8];
    // Label 1 above 0.4, 2 above 0.8.
    const g = new OnnxGraph();
    const above = (t: number) => g.op('Cast', [g.op('Greater', ['x', g.floats(`t${t}`, [t])])], { to: 1 });
    g.op('Add', [above(0.4), above(0.8)], {}, 'y');
    // Listed as B (value 2) then A (value 1): class numbers 1 for value 2, 2 for value 1.
    const model = await volumeModel(bytes(g, ['n', 1, ...size], 1), (m) => {
      m.input = input(size);
      m.preprocessing = raw();
      m.output = { name: 'y', kind: 'labels', classes: [{ index: 2, name: 'B' }, { index: 1, name: 'A' }] };
    });
    const volume = randomVolume(5, [6, 13, 11]);
    expect(await segmentVolume(model, volume)).toEqual(Uint8Array.from(volume.values, (v) => (v > 0.8 ? 1 : v > 0.4 ? 2 : 0)));
  });
});

describe('what the network sees and how patches are blended', () => {
  it('feeds NCDHW patches, padded with the lowest normalized value, as a 3D convolution shows', async () => {
    const size: Triple = [8, 16, 16];
    const random = seededRandom(6);
    // A lopsided 3 × 3 × 3 kernel: any axis swapped or flipped changes the result.
    const kernel = Array.from({ length: 27 }, () => random() * 2 - 1);
    const g = new OnnxGraph();
    const conv = g.op('Conv', ['x', g.floats('w', kernel, [1, 1, 3, 3, 3])], { kernel_shape: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] });
    g.op('Concat', [g.op('Neg', [conv]), conv], { axis: 1 }, 'y');
    const model = await volumeModel(bytes(g, ['n', 1, ...size], 2), (m) => {
      m.input = input(size);
      m.preprocessing = raw({ normalize: { kind: 'zscore', mean: 0.5, std: 2 } });
      m.output = { name: 'y', kind: 'scores', classes: [{ index: 1, name: 'A' }] };
    });
    // One patch exactly (the convolution pads with zeros), then 5 slices (padded on both sides of the slices).
    for (const shape of [size, [5, 16, 16]] as Triple[]) {
      const volume = randomVolume(7, shape);
      const [S, R, C] = shape;
      const normalized = Array.from(volume.values, (v) => (v - 0.5) / 2);
      const lowest = Math.min(...normalized);
      // Outside the patch the convolution's own zeros; inside it but outside the volume, the padding.
      const padded = S < size[0];
      const at = (z: number, y: number, x: number) => (y < 0 || y >= R || x < 0 || x >= C ? 0 : z < 0 || z >= S ? (padded ? lowest : 0) : normalized[(z * R + y) * C + x]!);
      const classes = await segmentVolume(model, volume);
      let compared = 0;
      for (let z = 0; z < S; z++)
        for (let y = 0; y < R; y++)
          for (let x = 0; x < C; x++) {
            let sum = 0;
            for (let k = 0; k < 27; k++) sum += kernel[k]! * at(z + Math.floor(k / 9) - 1, y + (Math.floor(k / 3) % 3) - 1, x + (k % 3) - 1);
            if (Math.abs(sum) < 1e-4) continue;
            compared++;
            expect(classes[(z * R + y) * C + x], `voxel ${z},${y},${x}`).toBe(sum > 0 ? 1 : 0);
          }
      expect(compared).toBeGreaterThan(S * R * C * 0.99);
    }
  });

  it('weighs each patch by nnU-Net’s Gaussian (sigma 1/8 of the patch), floored', () => {
    const size: Triple = [4, 8, 16];
    const map = gaussianImportance(size, 1e-3);
    const g = (i: number, n: number) => Math.exp(-((i - (n - 1) / 2) ** 2) / (2 * (n / 8) ** 2)) / Math.exp(-(0.5 ** 2) / (2 * (n / 8) ** 2));
    for (let z = 0; z < 4; z++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 16; x++) expect(map[(z * 8 + y) * 16 + x]).toBeCloseTo(Math.max(1e-3, g(z, 4) * g(y, 8) * g(x, 16)), 6);
    expect(Math.max(...map)).toBeCloseTo(1, 6);
    expect(map[0]).toBeCloseTo(1e-3, 9);
    expect(Math.min(...gaussianImportance(size, 0))).toBeGreaterThan(0);
  });

  it('blends overlapping patches with those weights, and labels come from the patch a voxel is most central in', async () => {
    const size: Triple = [2, 4, 16];
    const volumeShape: Triple = [2, 4, 24];
    // Patches start at columns 0 and 8; the output depends on the column within the patch: ramp[x] = x / 15.
    const ramp = Array.from({ length: 16 }, (_, x) => x / 15);
    const positional = (kind: 'scores' | 'labels') => {
      const g = new OnnxGraph();
      const r = g.floats('ramp', kind === 'scores' ? ramp : ramp.map((_, x) => x % 3), [1, 1, 1, 1, 16]);
      if (kind === 'labels') g.op('Add', [g.op('Mul', ['x', g.floats('zero', [0])]), r], {}, 'y');
      // Scores [0, x + ramp]: class 1 where x > −(blended ramp).
      else g.op('Concat', [g.op('Mul', ['x', g.floats('zero', [0])]), g.op('Add', ['x', r])], { axis: 1 }, 'y');
      return bytes(g, ['n', 1, ...size], kind === 'scores' ? 2 : 1);
    };
    const manifest = (kind: 'scores' | 'labels') => (m: Json) => {
      m.input = input(size);
      m.preprocessing = raw({ mode: { kind: 'sliding3d', overlap: 0.5, batch: 1 } });
      m.output = { name: 'y', kind, classes: kind === 'scores' ? [{ index: 1, name: 'A' }] : [{ index: 1, name: 'A' }, { index: 2, name: 'B' }] };
    };
    const [S, R, C] = volumeShape;

    // Blends worked out here, each patch's ramp at the voxel's place in it: weighted by the formula
    // (floored at 1e-3, or not), unweighted, or the last patch alone.
    const g = (i: number, n: number) => Math.exp(-((i - (n - 1) / 2) ** 2) / (2 * (n / 8) ** 2)) / Math.exp(-(0.5 ** 2) / (2 * (n / 8) ** 2));
    const blend = (weight: (z: number, y: number, x: number) => number) => {
      const out: number[] = [];
      for (let z = 0; z < S; z++)
        for (let y = 0; y < R; y++)
          for (let x = 0; x < C; x++) {
            const inside = [0, 8].filter((start) => x >= start && x < start + 16);
            const w = inside.map((start) => weight(z, y, x - start));
            out.push(inside.reduce((a, start, k) => a + w[k]! * ramp[x - start]!, 0) / w.reduce((a, b) => a + b));
          }
      return out;
    };
    const gaussian = blend((z, y, x) => Math.max(1e-3, g(z, 2) * g(y, 4) * g(x, 16)));
    const others = {
      unfloored: blend((z, y, x) => g(z, 2) * g(y, 4) * g(x, 16)),
      mean: blend(() => 1),
      last: blend((_z, _y, x) => (x >= 8 ? 1 : 1e-12)),
    };
    // Each voxel's value a hair (0.002) under or over minus the expected blend: class 1 exactly at the "over" ones.
    const values = Float32Array.from(gaussian, (b, i) => -b + (i % 2 ? 0.002 : -0.002));
    const volume: VolumeSamples = { values, slices: S, rows: R, columns: C, spacing: null };
    const expected = (b: number[]) => Uint8Array.from(b, (v, i) => (values[i]! + v > 0 ? 1 : 0));
    expect(expected(gaussian)).toEqual(Uint8Array.from(values, (_, i) => i % 2));
    expect(await segmentVolume(await volumeModel(positional('scores'), manifest('scores')), volume)).toEqual(expected(gaussian));
    // The test tells blends apart: any of the others would give other classes.
    for (const other of Object.values(others)) expect(expected(other)).not.toEqual(expected(gaussian));

    // Labels x % 3 by column within the patch: columns 8–11 are nearer the first patch's centre (7.5), 12–15 the second's (15.5).
    const labels = await segmentVolume(await volumeModel(positional('labels'), manifest('labels')), volume);
    const columnLabel = (x: number) => (x < 12 ? x : x - 8) % 3;
    expect(labels).toEqual(Uint8Array.from({ length: S * R * C }, (_, i) => columnLabel(i % C)));
  });
});

describe('running a 3D model', () => {
  it('reports progress after each batch and stops before the next once cancelled', async () => {
    const size: Triple = [8, 16, 16];
    const model = await volumeModel(thresholdGraph(size, 0.3, 0.7), (m) => {
      m.input = input(size);
      m.preprocessing = raw({ mode: { kind: 'sliding3d', overlap: 0, batch: 2 } });
      m.output = threeClasses;
    });
    // 2 × 2 × 3 = 12 patches, 6 batches.
    const volume = randomVolume(9, [16, 32, 40]);
    const progress: [number, number][] = [];
    await segmentVolume(model, volume, { onProgress: (done, total) => void progress.push([done, total]) });
    expect(progress).toEqual([2, 4, 6, 8, 10, 12].map((done) => [done, 12]));

    const controller = new AbortController();
    const stats = newStats();
    const seen: number[] = [];
    const run = segmentVolume(model, volume, {
      signal: controller.signal,
      stats,
      onProgress: async (done) => {
        seen.push(done);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (done === 4) controller.abort(new Error('cancelled by the user'));
      },
    });
    await expect(run).rejects.toThrow('cancelled by the user');
    expect(seen).toEqual([2, 4]);
    expect(stats).toMatchObject({ batches: 2, patches: 4 });
  });

  it('refuses 2D models and more than one input channel', async () => {
    const shipped = (await loadModel(SHIPPED_MODEL)) as ReadyModel;
    const volume = randomVolume(10, [2, 4, 4]);
    await expect(segmentVolume(shipped, volume)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/2D model/) });
    const size: Triple = [8, 16, 16];
    const model = await volumeModel(thresholdGraph(size, 0.3, 0.7), (m) => {
      m.input = input(size);
      m.preprocessing = raw();
      m.output = threeClasses;
    });
    const twoChannels = { ...model, manifest: { ...model.manifest, input: { ...model.manifest.input, channels: 2 } } };
    await expect(segmentVolume(twoChannels, volume)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/2 channels/) });
  });
});

describe('3D connected components', () => {
  it('drops a blob under the limit and keeps one joined only across slices (faces, not edges)', () => {
    const [S, R, C] = [4, 5, 5];
    const at = (z: number, y: number, x: number) => (z * R + y) * C + x;
    const classes = new Uint8Array(S * R * C);
    // A column through all four slices: one voxel per slice, joined face to face.
    for (let z = 0; z < S; z++) classes[at(z, 1, 1)] = 1;
    // A staircase touching only along edges: four separate voxels under 6-connectivity.
    for (let z = 0; z < S; z++) classes[at(z, 3, z)] = 2;
    // A class-2 voxel beside the column: another class, so no help to either.
    classes[at(0, 1, 2)] = 2;
    const before = classes.slice();
    expect(removeSmallComponents3d(classes, S, R, C, 4)).toBe(5);
    const kept = Array.from(classes.keys()).filter((i) => classes[i]);
    expect(kept).toEqual([0, 1, 2, 3].map((z) => at(z, 1, 1)));
    expect(removeSmallComponents3d(before, S, R, C, 1)).toBe(0);
  });

  it('matches a plain voxel flood fill on random class volumes', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 40; trial++) {
      const [S, R, C] = [1 + Math.floor(random() * 8), 1 + Math.floor(random() * 14), 1 + Math.floor(random() * 14)];
      const classes = Uint8Array.from({ length: S * R * C }, () => (random() < 0.5 ? 0 : 1 + Math.floor(random() * 2)));
      const minVoxels = 1 + Math.floor(random() * 10);
      const expected = floodFillReference(classes, S, R, C, minVoxels);
      const actual = classes.slice();
      const cleared = removeSmallComponents3d(actual, S, R, C, minVoxels);
      expect(actual).toEqual(expected);
      expect(cleared).toBe(classes.reduce((n, c, i) => n + Number(c !== 0 && expected[i] === 0), 0));
    }
  });
});

/** The obvious algorithm, voxel by voxel over the six face neighbours: what removeSmallComponents3d must agree with. */
function floodFillReference(input: Uint8Array, slices: number, rows: number, columns: number, minVoxels: number): Uint8Array {
  const out = input.slice();
  const seen = new Uint8Array(input.length);
  const steps: Triple[] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
  for (let start = 0; start < input.length; start++) {
    if (!input[start] || seen[start]) continue;
    const members = [start];
    seen[start] = 1;
    for (let m = 0; m < members.length; m++) {
      const p = members[m]!;
      const [z, y, x] = [Math.floor(p / (rows * columns)), Math.floor(p / columns) % rows, p % columns];
      for (const [dz, dy, dx] of steps) {
        const [nz, ny, nx] = [z + dz, y + dy, x + dx];
        if (nz < 0 || nz >= slices || ny < 0 || ny >= rows || nx < 0 || nx >= columns) continue;
        const q = (nz * rows + ny) * columns + nx;
        if (!seen[q] && input[q] === input[start]) {
          seen[q] = 1;
          members.push(q);
        }
      }
    }
    if (members.length < minVoxels && minVoxels > 1) for (const p of members) out[p] = 0;
  }
  return out;
}
