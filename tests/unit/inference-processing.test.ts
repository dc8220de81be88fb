/**
 * Pre- and postprocessing of model inputs and outputs against values worked out by hand, and the
 * manifest contract (zod and the JSON Schema generated from it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZModelManifest, type ModelManifest } from '@/lib/inference/manifest';
import { manifestJsonSchema } from '@/lib/inference/manifest-json-schema';
import { classesOf, removeSmallComponents } from '@/lib/inference/postprocess';
import { prepareSlice, resample2d } from '@/lib/inference/preprocess';
import { seededRandom } from '@/models/seeded-random';

const shipped = JSON.parse(readFileSync('models/ct-body-lungs-bone/manifest.json', 'utf8')) as Record<string, unknown>;
const manifest = (over: (m: Record<string, unknown>) => void = () => undefined): ModelManifest => {
  const m = structuredClone(shipped);
  over(m);
  return ZModelManifest.parse(m);
};

describe('preprocessing', () => {
  it('rescales to HU, clips and normalizes as the manifest says', () => {
    const slice = { samples: Int16Array.from([0, 1000, 2000, 5000]), rows: 2, columns: 2, slope: 1, intercept: -1024 };
    const m = manifest((x) => ((x.input as { size: number[] }).size = [2, 2]));
    expect([...prepareSlice(slice, m, new Float32Array(4))]).toEqual([-1024, -24, 976, 3071]);
    const z = manifest((x) => {
      (x.input as { size: number[] }).size = [2, 2];
      x.preprocessing = { values: 'hu', clip: [-1000, 1000], normalize: { kind: 'zscore', mean: 0, std: 500 }, mode: { kind: 'slice2d' } };
    });
    expect([...prepareSlice(slice, z, new Float32Array(4))]).toEqual([-2, -0.048, 1.952, 2].map((v) => Math.fround(v)));
    const minmax = manifest((x) => {
      (x.input as { size: number[] }).size = [2, 2];
      x.preprocessing = { values: 'raw', normalize: { kind: 'minmax' }, mode: { kind: 'slice2d' } };
    });
    expect([...prepareSlice(slice, minmax, new Float32Array(4))]).toEqual([0, 0.2, 0.4, 1].map((v) => Math.fround(v)));
  });

  it('resamples by nearest neighbour or bilinearly, pixel centres aligned', () => {
    const at = (i: number) => [0, 10, 20, 30][i]!;
    const up = new Float32Array(16);
    resample2d(at, 2, 2, up, 4, 4, 'nearest');
    expect([...up]).toEqual([0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30, 20, 20, 30, 30]);
    resample2d(at, 2, 2, up, 4, 4, 'linear');
    expect([...up.subarray(0, 4)]).toEqual([0, 2.5, 7.5, 10]);
    const down = new Float32Array(1);
    resample2d(at, 2, 2, down, 1, 1, 'linear');
    expect(down[0]).toBe(15);
  });
});

describe('postprocessing', () => {
  it('takes the argmax over class channels, channel 0 being nothing', () => {
    // 3 channels × 3 pixels: best channels 0, 2, 1.
    const scores = Float32Array.from([5, 0, 0, 1, 1, 9, 0, 7, 2]);
    const m = manifest((x) => ((x.output as { classes: unknown[] }).classes = [{ index: 1, name: 'A' }, { index: 2, name: 'B' }]));
    expect([...classesOf(scores, 3, 3, m, new Uint8Array(3))]).toEqual([0, 2, 1]);
    // Written straight in a project's segment values (class 1 → 7, class 2 → 5): no second pass.
    const classValues = new Uint8Array(256);
    classValues[1] = 7;
    classValues[2] = 5;
    expect([...classesOf(scores, 3, 3, m, new Uint8Array(3), classValues)]).toEqual([0, 5, 7]);
  });

  it('agrees with a plain per-pixel argmax for 1 to 7 channels, ties going to the first channel', () => {
    const random = seededRandom(5);
    for (let channels = 1; channels <= 7; channels++) {
      const pixels = 500;
      // Scores in tenths: ties are frequent.
      const scores = Float32Array.from({ length: channels * pixels }, () => Math.floor(random() * 10) / 10);
      const m = manifest((x) => ((x.output as { classes: unknown[] }).classes = Array.from({ length: 7 }, (_, k) => ({ index: k + 1, name: `C${k + 1}` }))));
      const expected = Array.from({ length: pixels }, (_, i) => {
        let best = 0;
        for (let c = 1; c < channels; c++) if (scores[c * pixels + i]! > scores[best * pixels + i]!) best = c;
        return best; // channel c is class number c (its place in the list is c − 1)
      });
      expect([...classesOf(scores, channels, pixels, m, new Uint8Array(pixels))]).toEqual(expected);
    }
  });

  it('thresholds sigmoid channels on their logits, and numbers classes by their place in the manifest', () => {
    // One channel (index 0) is the class "Nodule": logits −2, 0.5, 3 against a threshold of 0.6 (logit 0.405).
    const m = manifest((x) => {
      x.output = { name: 'classes', kind: 'scores', classes: [{ index: 0, name: 'Nodule' }] };
      x.postprocessing = { activation: 'sigmoid', threshold: 0.6 };
    });
    expect([...classesOf(Float32Array.from([-2, 0.5, 3]), 1, 3, m, new Uint8Array(3))]).toEqual([0, 1, 1]);
  });

  it('drops components smaller than the minimum, 8-connected and per class', () => {
    const labels = Uint8Array.from([
      1, 1, 0, 0, 2,
      1, 0, 0, 2, 0,
      0, 0, 0, 0, 0,
      0, 1, 0, 2, 2,
    ]);
    // Kept: the three 1s at the top left. Dropped: the diagonal pair of 2s, the lone 1, the pair of 2s.
    expect(removeSmallComponents(labels, 4, 5, 3)).toBe(5);
    expect([...labels]).toEqual([
      1, 1, 0, 0, 0,
      1, 0, 0, 0, 0,
      0, 0, 0, 0, 0,
      0, 0, 0, 0, 0,
    ]);
    const pair = Uint8Array.from([2, 0, 0, 2]);
    expect(removeSmallComponents(pair, 2, 2, 2)).toBe(0);
  });

  it('matches a plain pixel flood fill on random class maps (U shapes, diagonals, touching classes)', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const rows = 5 + Math.floor(random() * 40);
      const columns = 5 + Math.floor(random() * 40);
      const labels = Uint8Array.from({ length: rows * columns }, () => (random() < 0.45 ? 0 : 1 + Math.floor(random() * 3)));
      const minSize = 1 + Math.floor(random() * 12);
      const expected = floodFillReference(labels, rows, columns, minSize);
      const actual = labels.slice();
      removeSmallComponents(actual, rows, columns, minSize);
      expect([...actual]).toEqual([...expected]);
    }
  });
});

describe('the manifest contract', () => {
  it('is published as JSON Schema exactly as the zod schema says (npm run models:schema)', () => {
    expect(JSON.parse(readFileSync('models/manifest.schema.json', 'utf8'))).toEqual(manifestJsonSchema());
  });

  it.each(['sliding-window-3d', 'detection-yolov8', 'classification'])('takes the documented example %s.manifest.json', (example) => {
    expect(ZModelManifest.safeParse(JSON.parse(readFileSync(`docs/examples/${example}.manifest.json`, 'utf8'))).error).toBeUndefined();
  });

  it('refuses layouts and sizes that disagree, duplicate classes, and a segmentation without masks', () => {
    const problems = (over: (m: Record<string, unknown>) => void) => {
      const m = structuredClone(shipped);
      over(m);
      const result = ZModelManifest.safeParse(m);
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    expect(problems(() => undefined)).toEqual([]);
    expect(problems((m) => ((m.input as { size: number[] }).size = [64, 512, 512]))).toContain('NCHW takes 2 sizes.');
    expect(problems((m) => ((m.preprocessing as { mode: unknown }).mode = { kind: 'sliding3d' }))).toContain('slice2d goes with NCHW, sliding3d with NCDHW.');
    expect(problems((m) => ((m.output as { classes: unknown[] }).classes = [{ index: 1, name: 'A' }, { index: 1, name: 'B' }]))).toContain('Class index 1 is used twice.');
    expect(problems((m) => ((m.output as { kind: string }).kind = 'boxes'))).toContain('A segmentation model outputs scores or labels.');
  });
});

/** The obvious algorithm, pixel by pixel: what removeSmallComponents must agree with. */
function floodFillReference(input: Uint8Array, rows: number, columns: number, minSize: number): Uint8Array {
  const labels = input.slice();
  const seen = new Uint8Array(labels.length);
  for (let start = 0; start < labels.length; start++) {
    if (!labels[start] || seen[start]) continue;
    const members = [start];
    seen[start] = 1;
    for (let m = 0; m < members.length; m++) {
      const y = Math.floor(members[m]! / columns);
      const x = members[m]! % columns;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const ny = y + dy;
          const nx = x + dx;
          const q = ny * columns + nx;
          if (ny >= 0 && ny < rows && nx >= 0 && nx < columns && !seen[q] && input[q] === input[start]) {
            seen[q] = 1;
            members.push(q);
          }
        }
    }
    if (members.length < minSize) for (const p of members) labels[p] = 0;
  }
  return labels;
}
