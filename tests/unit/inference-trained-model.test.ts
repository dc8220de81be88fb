/**
 * The shipped trained model (models/ct-tissue-net, a tiny per-pixel network fitted to 24-slice phantoms,
 * seeds 1–3, by its build script): it loads through the registry as ready, and segments phantoms it was
 * not trained on (other table positions, other noise) through segmentSlices, pre- and postprocessing
 * included, with the Dice its manifest reports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { PHANTOM_CLASSES, syntheticCtTruth } from '@/lib/dicom/synthetic-ct';
import { loadModel, type ReadyModel } from '@/lib/inference/registry';
import { segmentSlices, type SliceRunStats } from '@/lib/inference/segment-slices';
import { closeSessions } from '@/lib/inference/session-pool';
import { phantomSlices } from '@/models/phantom-slices';

afterAll(closeSessions);

const { onnx } = onnxProto;

const MODEL = path.resolve('models/ct-tissue-net');
/** The phantom the build scored the model on (its manifest's accuracy), and one more it never saw. */
const MANIFEST_HELD_OUT = { slices: 37, seed: 101 };
const OTHER_HELD_OUT = { slices: 19, seed: 7 };


/** Dice per phantom class (body, lung, bone) of the model's class maps against the phantom's geometry. */
async function dicePerClass(model: ReadyModel, { slices, seed }: { slices: number; seed: number }) {
  const truth = syntheticCtTruth(slices);
  const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
  const counts = { body: [0, 0, 0], lung: [0, 0, 0], bone: [0, 0, 0] };
  let k = 0;
  for await (const map of segmentSlices(model, phantomSlices(slices, seed), { stats })) {
    const t = truth[k++]!;
    for (const [name, cls] of [['body', PHANTOM_CLASSES.body], ['lung', PHANTOM_CLASSES.lung], ['bone', PHANTOM_CLASSES.bone]] as const) {
      const c = counts[name];
      for (let i = 0; i < map.length; i++) {
        const x = map[i] === cls;
        const y = t[i] === cls;
        c[0]! += Number(x);
        c[1]! += Number(y);
        c[2]! += Number(x && y);
      }
    }
  }
  expect(k).toBe(slices);
  expect(stats.slices).toBe(slices);
  const dice = (c: number[]) => (2 * c[2]!) / (c[0]! + c[1]!);
  return { body: dice(counts.body), lung: dice(counts.lung), bone: dice(counts.bone) };
}

describe('the shipped trained network (ct-tissue-net)', () => {
  it('loads as ready: manifest valid, file hash matching, graph as described', async () => {
    const model = await loadModel(MODEL);
    expect(model.problems).toEqual([]);
    expect(model).toMatchObject({ name: 'ct-tissue-net', status: 'ready', graph: { inputs: [{ name: 'hu', type: 'float32' }], outputs: [{ name: 'logits' }] } });
    expect(model.sha256).toBe(model.manifest!.sha256);
    // Honest about what it is.
    expect(model.manifest!.description).toMatch(/synthetic CT phantoms/);
    expect(model.manifest!.description).toMatch(/Not for clinical use/);
    expect(model.manifest!.description).toMatch(/not been validated/);
  });

  it('segments the held-out phantom of its manifest with the Dice the manifest reports', async () => {
    const model = (await loadModel(MODEL)) as ReadyModel;
    const measured = await dicePerClass(model, MANIFEST_HELD_OUT);
    const reported = Object.fromEntries(model.manifest.accuracy.map((a) => [a.class, a]));
    for (const [name, value] of [['Body', measured.body], ['Lung', measured.lung], ['Bone', measured.bone]] as const) {
      expect(reported[name]).toMatchObject({ metric: 'Dice', data: expect.stringContaining(`${MANIFEST_HELD_OUT.slices}-slice`) });
      expect(reported[name]!.data).toContain(`seed ${MANIFEST_HELD_OUT.seed}`);
      expect(Math.abs(reported[name]!.value - value)).toBeLessThanOrEqual(0.002);
    }
    expect(measured.body).toBeGreaterThanOrEqual(0.99);
    expect(measured.lung).toBeGreaterThanOrEqual(0.99);
    expect(measured.bone).toBeGreaterThanOrEqual(0.99);
  });

  it('segments another phantom it never saw (other table positions and noise) as well', async () => {
    const model = (await loadModel(MODEL)) as ReadyModel;
    const measured = await dicePerClass(model, OTHER_HELD_OUT);
    expect(measured.body).toBeGreaterThanOrEqual(0.99);
    expect(measured.lung).toBeGreaterThanOrEqual(0.99);
    expect(measured.bone).toBeGreaterThanOrEqual(0.99);
  });

  it('is a trained network, not thresholds: fixed features, then learned 1×1 convolutions with a Relu between', () => {
    const { graph } = onnx.ModelProto.decode(readFileSync(path.join(MODEL, 'model.onnx')));
    const ops = graph!.node!.map((n) => n.opType);
    expect(ops.slice(-3)).toEqual(['Conv', 'Relu', 'Conv']);
    expect(ops).not.toContain('Greater');
    expect(ops).not.toContain('Less');
    const shapes = Object.fromEntries(graph!.initializer!.map((t) => [t.name, (t.dims ?? []).map(Number)]));
    expect(shapes).toMatchObject({ hidden_weight: [16, 8, 1, 1], hidden_bias: [16], logits_weight: [4, 16, 1, 1], logits_bias: [4] });
  });
});
