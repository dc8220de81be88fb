/**
 * Builds models/ct-tissue-net/model.onnx: a tiny trained network (a per-pixel MLP on a fixed
 * multi-scale neighbourhood) for body, lungs and bone on CT, fitted here to synthetic phantoms
 * (lib/dicom/synthetic-ct.ts) and scored on a held-out phantom; writes model.onnx and the whole
 * manifest.json (its text is here), with the file's SHA-256 and the held-out Dice.
 * Run: npx tsx models/ct-tissue-net/build.ts (about 15 s on 2 cores).
 * Deterministic: seeded sampling and initialization, a fixed order of updates, so the same source
 * gives the same file (the training features come from ONNX Runtime: another version or CPU could
 * round them differently, and so change the last bits of the weights and the SHA-256).
 *
 * Per axial slice of HU clipped to [−1000, 1000] and divided by 1000 (the manifest's preprocessing),
 * N×1×H×W with H and W multiples of 4:
 *   fixed features (no weights, 8 channels):
 *     the value; box means over 3×3 and 9×9; the max and the min over 5×5 (separable pools, same size
 *     out); box means over 9×9 and 33×33 of the slice averaged down to ¼ resolution (≈ 36 and
 *     ≈ 132 px), resized back bilinearly; and the 5×5 max of the ¼-resolution slice, resized back
 *     (≈ 20 px: a lung's air from the solid lesions in it)
 *   learned (the only weights): Conv 1×1 (8 → 16) + Relu, Conv 1×1 (16 → 4): logits N×4×H×W for
 *     background, body, lung, bone.
 * Training: the feature graph alone runs in ONNX Runtime on the training phantoms (the same nodes
 * compute the features in training and in use); pixels are drawn per class (half anywhere in the class,
 * half within 2 px of another class), and the 1×1 convolutions are fitted as an MLP with softmax
 * cross-entropy by mini-batch Adam, all from fixed seeds. The full model is then loaded through the
 * registry (lib/inference/registry.ts) and run through segmentSlices (pre- and postprocessing as the
 * manifest says) on a phantom held out from training; its Dice per class goes in the manifest.
 *
 * The phantom is easy: outside air is exactly −1000 HU, lung −850 ± 12, fat −80 ± 12, bone ≥ 288, so
 * the value alone nearly decides; the neighbourhood features are for what it does not (a solid
 * nodule inside a lung is lung, a part-solid one at −400 HU too). Near-perfect Dice here says
 * nothing about real CT, which the model has never seen.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { PHANTOM_CLASSES, syntheticCtTruth } from '@/lib/dicom/synthetic-ct';
import { ZModelManifest, type ModelManifest } from '@/lib/inference/manifest';
import { prepareSlice } from '@/lib/inference/preprocess';
import { loadModel, type ReadyModel } from '@/lib/inference/registry';
import { segmentSlices, type SliceRunStats } from '@/lib/inference/segment-slices';
import { closeSessions } from '@/lib/inference/session-pool';
import { OnnxGraph } from '../onnx-graph';
import { phantomSlices } from '../phantom-slices';
import { seededRandom } from '../seeded-random';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const SIZE = 512;
const AREA = SIZE * SIZE;
const CLIP: [number, number] = [-1000, 1000];
const SCALE = 1000;
const FEATURES = 8;
const HIDDEN = 16;
const CLASSES = 4; // background, body, lung, bone: PHANTOM_CLASSES' numbers
const PARAMETERS = HIDDEN * (FEATURES + 1) + CLASSES * (HIDDEN + 1);

const TRAIN = { slices: 24, seeds: [1, 2, 3] };
const HELD_OUT = { slices: 37, seed: 101 };
const PER_CLASS = { anywhere: 6000, edge: 6000 };
const EDGE_RADIUS = 2;
const EPOCHS = 30;
const BATCH = 128;
const LEARNING_RATE = 0.01;
const SEED = 20240611;

// ---------------------------------------------------------------------------------------------
// The graph

/** Adds the fixed features of input `x` to `g`: N×FEATURES×H×W, named "features". */
function addFeatures(g: OnnxGraph, x: string): string {
  const pool = (op: 'AveragePool' | 'MaxPool', input: string, k: number) => {
    const half = (k - 1) / 2;
    const rows = g.op(op, [input], { kernel_shape: [1, k], pads: [0, half, 0, half], strides: [1, 1] });
    return g.op(op, [rows], { kernel_shape: [k, 1], pads: [half, 0, half, 0], strides: [1, 1] });
  };
  const mean = (input: string, k: number) => pool('AveragePool', input, k);
  const max = (input: string, k: number) => pool('MaxPool', input, k);
  const min = (input: string, k: number) => g.op('Neg', [max(g.op('Neg', [input]), k)]);
  const quarter = g.op('AveragePool', [x], { kernel_shape: [4, 4], strides: [4, 4] });
  const scales = g.floats('upsample_scales', [1, 1, 4, 4], [4]);
  const up = (input: string) => g.op('Resize', [input, '', scales], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  return g.op('Concat', [x, mean(x, 3), mean(x, 9), max(x, 5), min(x, 5), up(mean(quarter, 9)), up(mean(quarter, 33)), up(max(quarter, 5))], { axis: 1 }, 'features');
}

const io = (output: string, channels: number) => ({
  input: { name: 'hu', shape: ['batch', 1, 'height', 'width'] },
  output: { name: output, shape: ['batch', channels, 'height', 'width'] },
});

function featureGraph(): Uint8Array {
  const g = new OnnxGraph();
  addFeatures(g, 'hu');
  return g.toBytes({ ...io('features', FEATURES), doc: 'ct-tissue-net fixed features (training only)', metadata: {} });
}

function modelGraph(w: Weights): Uint8Array {
  const g = new OnnxGraph();
  const features = addFeatures(g, 'hu');
  const w1 = g.floats('hidden_weight', [...w.w1], [HIDDEN, FEATURES, 1, 1]);
  const b1 = g.floats('hidden_bias', [...w.b1], [HIDDEN]);
  const w2 = g.floats('logits_weight', [...w.w2], [CLASSES, HIDDEN, 1, 1]);
  const b2 = g.floats('logits_bias', [...w.b2], [CLASSES]);
  const hidden = g.op('Relu', [g.op('Conv', [features, w1, b1], { kernel_shape: [1, 1] })], {}, 'hidden');
  g.op('Conv', [hidden, w2, b2], { kernel_shape: [1, 1] }, 'logits');
  return g.toBytes({
    ...io('logits', CLASSES),
    doc: 'Tiny per-pixel network for CT body, lungs and bone, trained on synthetic phantoms only (demo; not for clinical use).',
    metadata: {
      features: 'value; mean 3, 9; max 5; min 5; at 1/4 resolution mean 9, 33 and max 5',
      hidden: String(HIDDEN),
      trained_on: `synthetic phantoms, ${TRAIN.slices} slices, seeds ${TRAIN.seeds.join(', ')}`,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The manifest

const CLASS_LIST = [
  { index: 1, name: 'Body', code: { scheme: 'SCT', value: '38266002', meaning: 'Entire body as a whole' } },
  { index: 2, name: 'Lung', code: { scheme: 'SCT', value: '39607008', meaning: 'Lung structure' } },
  { index: 3, name: 'Bone', code: { scheme: 'SCT', value: '272673000', meaning: 'Bone structure' } },
];
const HELD_OUT_DATA = `${HELD_OUT.slices}-slice synthetic CT phantom (lib/dicom/synthetic-ct.ts, seed ${HELD_OUT.seed}), held out from training (trained on ${TRAIN.slices}-slice phantoms, seeds ${TRAIN.seeds[0]}–${TRAIN.seeds.at(-1)}: other noise, and table positions shared only at the two ends), against its geometry; not real CT`;

function manifestFor(sha256: string, dice: Record<string, number>) {
  return {
    $schema: '../manifest.schema.json',
    name: 'ct-tissue-net',
    version: '1.0.0',
    title: 'CT body, lungs and bone — tiny trained network (phantom-trained demo)',
    description:
      `A tiny per-pixel neural network, trained only on synthetic CT phantoms (lib/dicom/synthetic-ct.ts) by its build script (build.ts): for each pixel it looks at fixed multi-scale features of the surrounding HU values (the value, local means, maxima and minima up to about 130 px) and a learned two-layer perceptron (${FEATURES} features, ${HIDDEN} hidden units, ${CLASSES} classes: ${PARAMETERS} weights and biases) decides background, body, lung or bone. It has never seen real CT and has not been validated on it: the phantom is a few ellipses of constant HU with a little noise, so its Dice on the phantom says nothing about patients. Not for clinical use. It is here to show a trained model going through the registry, its manifest and its provenance. On real images, start from the classical baseline (ct-body-lungs-bone) instead: its rules are written down and its failure modes known.`,
    task: 'segmentation',
    modalities: ['CT'],
    bodyParts: ['CHEST', 'ABDOMEN'],
    file: 'model.onnx',
    sha256,
    input: { name: 'hu', layout: 'NCHW', dtype: 'float32', channels: 1, size: [SIZE, SIZE], spacing: null },
    preprocessing: { values: 'hu', clip: CLIP, normalize: { kind: 'zscore', mean: 0, std: SCALE }, resample: 'linear', mode: { kind: 'slice2d', batch: 4 } },
    output: { name: 'logits', kind: 'scores', classes: CLASS_LIST },
    postprocessing: { activation: 'argmax', minComponentVoxels: 64 },
    license: { spdx: 'Apache-2.0' },
    citation: "Cohort contributors. CT body, lungs and bone: a tiny per-pixel network trained on synthetic phantoms (Cohort's own demo model). models/ct-tissue-net/build.ts.",
    accuracy: CLASS_LIST.map((c) => ({ metric: 'Dice', class: c.name, value: dice[c.name] ?? 0, data: HELD_OUT_DATA })),
  };
}

// ---------------------------------------------------------------------------------------------
// Data



/** Pixels with another class within `r` px (a square), per slice of a truth series. */
function edges(truth: Uint8Array, r: number): Uint8Array {
  const out = new Uint8Array(AREA);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const c = truth[y * SIZE + x];
      search: for (let dy = -r; dy <= r; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= SIZE) continue;
        for (let dx = -r; dx <= r; dx++) {
          const nx = x + dx;
          if (nx >= 0 && nx < SIZE && truth[ny * SIZE + nx] !== c) {
            out[y * SIZE + x] = 1;
            break search;
          }
        }
      }
    }
  return out;
}

type Samples = { x: Float32Array; y: Uint8Array; n: number };

/**
 * Training pixels: for each class, PER_CLASS.anywhere drawn from all its pixels and PER_CLASS.edge
 * from those within EDGE_RADIUS of another class, over every training series and slice; their
 * features from the feature graph in ONNX Runtime.
 */
async function trainingSamples(manifest: ModelManifest, random: () => number): Promise<Samples> {
  const truth = syntheticCtTruth(TRAIN.slices);
  const edge = truth.map((t) => edges(t, EDGE_RADIUS));
  // Candidates per class and kind, as slice × AREA + pixel (the same for every seed: noise aside, a seed's phantom is the same).
  const wanted: number[][] = Array.from({ length: TRAIN.seeds.length * TRAIN.slices }, () => []);
  const labels: number[][] = Array.from({ length: TRAIN.seeds.length * TRAIN.slices }, () => []);
  for (let c = 0; c < CLASSES; c++) {
    for (const [kind, count] of [['anywhere', PER_CLASS.anywhere], ['edge', PER_CLASS.edge]] as const) {
      const candidates: number[] = [];
      truth.forEach((t, s) => {
        for (let i = 0; i < AREA; i++) if (t[i] === c && (kind === 'anywhere' || edge[s]![i])) candidates.push(s * AREA + i);
      });
      for (let k = 0; k < count; k++) {
        const at = candidates[Math.floor(random() * candidates.length)]!;
        const series = Math.floor(random() * TRAIN.seeds.length);
        const slot = series * TRAIN.slices + Math.floor(at / AREA);
        wanted[slot]!.push(at % AREA);
        labels[slot]!.push(c);
      }
    }
  }
  const n = CLASSES * (PER_CLASS.anywhere + PER_CLASS.edge);
  const samples: Samples = { x: new Float32Array(n * FEATURES), y: new Uint8Array(n), n };
  const session = await ort.InferenceSession.create(featureGraph(), { intraOpNumThreads: 2, logSeverityLevel: 4 });
  const input = new Float32Array(AREA);
  let k = 0;
  for (const [series, seed] of TRAIN.seeds.entries()) {
    const slices = phantomSlices(TRAIN.slices, seed);
    for (const [s, slice] of slices.entries()) {
      const slot = series * TRAIN.slices + s;
      if (!wanted[slot]!.length) continue;
      prepareSlice(slice, manifest, input);
      const { features } = await session.run({ hu: new ort.Tensor('float32', input, [1, 1, SIZE, SIZE]) });
      const data = features!.data as Float32Array;
      wanted[slot]!.forEach((i, j) => {
        for (let f = 0; f < FEATURES; f++) samples.x[k * FEATURES + f] = data[f * AREA + i]!;
        samples.y[k++] = labels[slot]![j]!;
      });
      features!.dispose();
    }
  }
  await session.release();
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Training: the two 1×1 convolutions as a per-pixel MLP

type Weights = { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array };

function train(samples: Samples, random: () => number): Weights {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const w: Weights = {
    w1: Float64Array.from({ length: HIDDEN * FEATURES }, () => normal() * Math.sqrt(2 / FEATURES)),
    b1: new Float64Array(HIDDEN),
    w2: Float64Array.from({ length: CLASSES * HIDDEN }, () => normal() * Math.sqrt(1 / HIDDEN)),
    b2: new Float64Array(CLASSES),
  };
  const params = [w.w1, w.b1, w.w2, w.b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const [gw1, gb1, gw2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const h = new Float64Array(HIDDEN);
  const dh = new Float64Array(HIDDEN);
  const logits = new Float64Array(CLASSES);
  const order = Int32Array.from({ length: samples.n }, (_, i) => i);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    // Cosine decay to a tenth.
    const lr = LEARNING_RATE * (0.1 + 0.45 * (1 + Math.cos((Math.PI * epoch) / EPOCHS)));
    let loss = 0;
    let correct = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const end = Math.min(order.length, start + BATCH);
      for (const g of grads) g.fill(0);
      for (let b = start; b < end; b++) {
        const s = order[b]!;
        const x = samples.x.subarray(s * FEATURES, (s + 1) * FEATURES);
        for (let j = 0; j < HIDDEN; j++) {
          let a = w.b1[j]!;
          for (let f = 0; f < FEATURES; f++) a += w.w1[j * FEATURES + f]! * x[f]!;
          h[j] = a > 0 ? a : 0;
        }
        let top = -Infinity;
        let best = 0;
        for (let c = 0; c < CLASSES; c++) {
          let a = w.b2[c]!;
          for (let j = 0; j < HIDDEN; j++) a += w.w2[c * HIDDEN + j]! * h[j]!;
          logits[c] = a;
          if (a > top) [top, best] = [a, c];
        }
        let sum = 0;
        for (let c = 0; c < CLASSES; c++) sum += Math.exp(logits[c]! - top);
        const label = samples.y[s]!;
        loss += Math.log(sum) - (logits[label]! - top);
        correct += Number(best === label);
        dh.fill(0);
        for (let c = 0; c < CLASSES; c++) {
          const d = Math.exp(logits[c]! - top) / sum - Number(c === label);
          gb2[c]! += d;
          for (let j = 0; j < HIDDEN; j++) {
            gw2[c * HIDDEN + j]! += d * h[j]!;
            dh[j]! += d * w.w2[c * HIDDEN + j]!;
          }
        }
        for (let j = 0; j < HIDDEN; j++) {
          if (h[j]! <= 0) continue;
          gb1[j]! += dh[j]!;
          for (let f = 0; f < FEATURES; f++) gw1[j * FEATURES + f]! += dh[j]! * x[f]!;
        }
      }
      step++;
      const size = end - start;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      params.forEach((p, q) => {
        const [g, mq, vq] = [grads[q]!, m[q]!, v[q]!];
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]! / size;
          mq[i] = beta1 * mq[i]! + (1 - beta1) * gi;
          vq[i] = beta2 * vq[i]! + (1 - beta2) * gi * gi;
          p[i]! -= (lr * (mq[i]! / c1)) / (Math.sqrt(vq[i]! / c2) + eps);
        }
      });
    }
    if (epoch % 5 === 4 || epoch === EPOCHS - 1) console.log(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(4)}, accuracy on the training pixels ${((100 * correct) / order.length).toFixed(2)}%`);
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Evaluation: the built model through the registry and segmentSlices, Dice per class

async function heldOutDice(model: ReadyModel): Promise<{ dice: Record<string, number>; stats: SliceRunStats }> {
  const truth = syntheticCtTruth(HELD_OUT.slices);
  const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
  const counts = CLASS_LIST.map(() => ({ found: 0, true: 0, both: 0 }));
  let k = 0;
  for await (const map of segmentSlices(model, phantomSlices(HELD_OUT.slices, HELD_OUT.seed), { stats })) {
    const t = truth[k++]!;
    for (let i = 0; i < map.length; i++) {
      // Class numbers from segmentSlices (1 + place in the manifest's list) are PHANTOM_CLASSES' numbers.
      const [a, b] = [map[i]!, t[i]!];
      if (a) counts[a - 1]!.found++;
      if (b) counts[b - 1]!.true++;
      if (a && a === b) counts[a - 1]!.both++;
    }
  }
  // Rounded down to 4 decimals: 1 only when every pixel agrees.
  const dice = Object.fromEntries(CLASS_LIST.map((c, q) => [c.name, Math.floor((2 * counts[q]!.both * 1e4) / (counts[q]!.found + counts[q]!.true)) / 1e4]));
  return { dice, stats };
}

async function main() {
  if (PHANTOM_CLASSES.body !== 1 || PHANTOM_CLASSES.lung !== 2 || PHANTOM_CLASSES.bone !== 3) throw new Error('The phantom classes are not numbered as this model outputs them.');
  const started = performance.now();
  const draft = ZModelManifest.parse(manifestFor('0'.repeat(64), {}));
  const random = seededRandom(SEED);
  const samples = await trainingSamples(draft, random);
  console.log(`${samples.n} training pixels (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const weights = train(samples, random);
  console.log(`trained (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const bytes = modelGraph(weights);
  writeFileSync(path.join(HERE, 'model.onnx'), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const manifestPath = path.join(HERE, 'manifest.json');
  const write = (dice: Record<string, number>) => {
    const manifest = manifestFor(sha256, dice);
    ZModelManifest.parse(manifest);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  };
  write({});

  const model = await loadModel(HERE);
  if (model.status !== 'ready') throw new Error(`The built model does not load: ${model.problems.join(' ')}`);
  const { dice, stats } = await heldOutDice(model as ReadyModel);
  write(dice);
  await closeSessions();
  console.log(`model.onnx: ${bytes.length} bytes, sha256 ${sha256}`);
  console.log(`held-out Dice: ${Object.entries(dice).map(([c, d]) => `${c} ${d.toFixed(4)}`).join(', ')}`);
  console.log(`inference: ${stats.slices} slices of ${SIZE}² in ${stats.runMs.toFixed(0)} ms of ONNX Runtime (${((1000 * stats.slices) / stats.runMs).toFixed(1)} slices/s)`);
}

await main();
