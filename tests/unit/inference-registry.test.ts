/**
 * The model registry and 2D inference on real ONNX Runtime sessions: the shipped classical CT model
 * segments the phantom against its geometric truth (Dice ≥ 0.95 per class), and every kind of broken
 * model folder is refused with its reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { PHANTOM_CLASSES, syntheticCtSeries, syntheticCtTruth } from '@/lib/dicom/synthetic-ct';
import type { SliceSamples } from '@/lib/inference/preprocess';
import { loadModel, type ReadyModel } from '@/lib/inference/registry';
import { segmentSlices, type SliceRunStats } from '@/lib/inference/segment-slices';
import { closeSessions } from '@/lib/inference/session-pool';
import { OnnxGraph } from '@/models/onnx-graph';
import { modelVariant, SHIPPED_MODEL } from '../helpers/model-dirs';

afterAll(closeSessions);

const SLICES = 24;

function phantomSlices(slices: number): SliceSamples[] {
  return syntheticCtSeries({ slices, seed: 5 }).map((file) => {
    const ds = dicomParser.parseDicom(file);
    const pixels = ds.elements.x7fe00010!;
    const samples = new Int16Array(file.slice(pixels.dataOffset, pixels.dataOffset + pixels.length).buffer);
    return { samples, rows: ds.uint16('x00280010')!, columns: ds.uint16('x00280011')!, slope: Number(ds.string('x00281053')), intercept: Number(ds.string('x00281052')) };
  });
}

describe('the shipped CT baseline', () => {
  it('loads as ready: manifest valid, file hash matching, graph as described', async () => {
    const model = await loadModel(SHIPPED_MODEL);
    expect(model.problems).toEqual([]);
    expect(model).toMatchObject({ name: 'ct-body-lungs-bone', status: 'ready', graph: { inputs: [{ name: 'hu', type: 'float32', shape: ['batch', 1, 'height', 'width'] }] } });
    expect(model.manifestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('segments body, lungs and bone of the phantom with Dice ≥ 0.95 against its geometry, one class map per slice in order', async () => {
    const model = (await loadModel(SHIPPED_MODEL)) as ReadyModel;
    const truth = syntheticCtTruth(SLICES);
    const stats: SliceRunStats = { slices: 0, batches: 0, runMs: 0 };
    const found: Uint8Array[] = [];
    for await (const classes of segmentSlices(model, phantomSlices(SLICES), { stats })) found.push(classes);
    expect(found).toHaveLength(SLICES);
    expect(stats).toMatchObject({ slices: SLICES, batches: Math.ceil(SLICES / batchOf(model)) });
    // The manifest lists Body, Lung, Bone: class numbers 1, 2, 3, as the phantom's classes.
    const dice: Record<string, number> = {};
    for (const [name, cls] of Object.entries(PHANTOM_CLASSES)) {
      if (cls === 0) continue;
      let a = 0;
      let b = 0;
      let both = 0;
      found.forEach((map, k) => {
        for (let i = 0; i < map.length; i++) {
          const x = map[i] === cls;
          const y = truth[k]![i] === cls;
          a += Number(x);
          b += Number(y);
          both += Number(x && y);
        }
      });
      dice[name] = (2 * both) / (a + b);
    }
    expect(dice.body).toBeGreaterThanOrEqual(0.95);
    expect(dice.lung).toBeGreaterThanOrEqual(0.95);
    expect(dice.bone).toBeGreaterThanOrEqual(0.95);
  });

  it('stops between batches when cancelled', async () => {
    const model = (await loadModel(SHIPPED_MODEL)) as ReadyModel;
    const controller = new AbortController();
    const seen: Uint8Array[] = [];
    await expect(async () => {
      for await (const classes of segmentSlices(model, phantomSlices(20), { signal: controller.signal })) {
        seen.push(classes);
        controller.abort(new Error('cancelled by the user'));
      }
    }).rejects.toThrow('cancelled by the user');
    // The batch under way is finished; the next one never starts.
    expect(seen.length).toBe(batchOf(model));
  });
});

/** How many slices the model runs at once (its manifest's batch). */
function batchOf(model: ReadyModel): number {
  const { mode } = model.manifest.preprocessing;
  return mode.kind === 'slice2d' ? mode.batch : 1;
}

describe('broken model folders are refused with the reason', () => {
  const problems = async (dir: string) => {
    const model = await loadModel(dir);
    expect(model.status).toBe('invalid');
    return model.problems.join(' ');
  };

  it('a manifest that is not JSON, or not a manifest', async () => {
    expect(await problems(modelVariant({ rawManifest: '{ "name": ' }))).toMatch(/manifest.json cannot be read/);
    expect(await problems(modelVariant({ manifest: (m) => ((m.task = 'dreaming'), (m.sha256 = 'abc')) }))).toMatch(/manifest.json task: .*manifest.json sha256: a SHA-256/s);
  });

  it('a file that is not the one the manifest hashes, or is missing', async () => {
    const onnx = readFileSync(path.join(SHIPPED_MODEL, 'model.onnx'));
    const changed = Uint8Array.from(onnx);
    changed[changed.length - 1] = changed.at(-1)! ^ 1;
    expect(await problems(modelVariant({ onnx: changed }))).toMatch(/has SHA-256 [0-9a-f]{64}, the manifest says/);
    expect(await problems(modelVariant({ manifest: (m) => (m.file = 'other.onnx') }))).toMatch(/other.onnx is missing/);
  });

  it('a manifest whose task does not fit its output, or whose output does not fit the graph', async () => {
    expect(await problems(modelVariant({ manifest: (m) => (m.task = 'classification') }))).toMatch(/output.kind: A classification model outputs class-scores/);
    expect(await problems(modelVariant({ manifest: (m) => (m.task = 'detection') }))).toMatch(/output.kind: A detection model outputs boxes/);
    // A segmentation graph (scores per pixel) described as a classifier: the output's rank says otherwise.
    const classifier = (m: Record<string, unknown>) => ((m.task = 'classification'), ((m.output as { kind: string }).kind = 'class-scores'), ((m.postprocessing as { activation: string }).activation = 'softmax'));
    expect(await problems(modelVariant({ manifest: classifier }))).toMatch(/Output "classes" has rank 4; a class-scores output is rank 2/);
  });

  it('malformed ONNX, even with a matching hash', async () => {
    expect(await problems(modelVariant({ onnx: new TextEncoder().encode('not a protobuf at all'), rehash: true }))).toMatch(/ONNX Runtime cannot load model.onnx/);
  });

  it('a manifest that does not match the graph: input name, channels, size, class channels', async () => {
    expect(await problems(modelVariant({ manifest: (m) => ((m.input as { name: string }).name = 'image') }))).toMatch(/no input "image" \(it has: hu\)/);
    expect(await problems(modelVariant({ manifest: (m) => ((m.output as { name: string }).name = 'logits') }))).toMatch(/no output "logits"/);
    // A fixed-shape graph: 1 channel of 64², 2 class channels.
    const g = new OnnxGraph();
    g.op('Concat', [g.op('Neg', ['x']), 'x'], { axis: 1 }, 'scores');
    const fixed = g.toBytes({ input: { name: 'x', shape: [1, 1, 64, 64] }, output: { name: 'scores', shape: [1, 2, 64, 64] }, doc: 'test', metadata: {} });
    const mismatch = await problems(
      modelVariant({
        onnx: fixed,
        rehash: true,
        manifest: (m) => {
          m.input = { name: 'x', layout: 'NCHW', dtype: 'float32', channels: 3, size: [512, 512] };
          m.output = { name: 'scores', kind: 'scores', classes: [{ index: 1, name: 'A' }, { index: 2, name: 'B' }] };
        },
      }),
    );
    expect(mismatch).toMatch(/dimension 1 is 1, the manifest says 3/);
    expect(mismatch).toMatch(/dimension 2 is 64, the manifest says 512/);
    expect(mismatch).toMatch(/has 2 class channels; the manifest names class 2/);
  });

  it('a graph that loads but throws when run', async () => {
    // Reshape to a fixed element count the declared input size cannot give.
    const g = new OnnxGraph();
    g.op('Reshape', ['x', g.ints('shape', [1, 2, 7, 7])], {}, 'scores');
    const bad = g.toBytes({ input: { name: 'x', shape: [1, 1, 'h', 'w'] }, output: { name: 'scores', shape: [1, 2, 7, 7] }, doc: 'test', metadata: {} });
    const reason = await problems(
      modelVariant({
        onnx: bad,
        rehash: true,
        manifest: (m) => {
          m.input = { name: 'x', layout: 'NCHW', dtype: 'float32', channels: 1, size: [32, 32] };
          m.output = { name: 'scores', kind: 'scores', classes: [{ index: 1, name: 'A' }] };
        },
      }),
    );
    expect(reason).toMatch(/A run on a dummy NCHW input failed/);
  });
});
