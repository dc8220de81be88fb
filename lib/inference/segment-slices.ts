import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '@/lib/errors/app-error';
import { classesOf, removeSmallComponents } from './postprocess';
import { prepareSlice, resample2d, type SliceSamples } from './preprocess';
import type { ReadyModel } from './registry';
import { sessionFor } from './session-pool';

export type SliceRunStats = { slices: number; batches: number; runMs: number };

/**
 * Segments a series slice by slice with a 2D model: slices are prepared as the manifest says,
 * batched, run through the pooled session and turned back into class maps of each slice's own size
 * (1 + the class's position in the manifest, 0: none), yielded in input order; each batch runs while
 * the one before is postprocessed. Memory stays at two batches whatever the series' length.
 * `signal` stops between batches.
 */
export async function* segmentSlices(
  model: ReadyModel,
  slices: AsyncIterable<SliceSamples> | Iterable<SliceSamples>,
  { signal, stats }: { signal?: AbortSignal; stats?: SliceRunStats } = {},
): AsyncGenerator<Uint8Array> {
  const { manifest } = model;
  if (manifest.preprocessing.mode.kind !== 'slice2d') throw new AppError('CONFLICT', `${manifest.name} is a 3D model: it runs on volumes, not slice by slice.`);
  if (manifest.input.channels !== 1) throw new AppError('CONFLICT', `${manifest.name} takes ${manifest.input.channels} channels; Cohort feeds 2D models one greyscale channel.`);
  const session = await sessionFor(model.sha256, () => readFile(path.join(model.dir, manifest.file)));
  const [rows, columns] = manifest.input.size as [number, number];
  const area = rows * columns;
  const batchSize = manifest.preprocessing.mode.batch;
  const input = new Float32Array(batchSize * area);
  const classes = new Uint8Array(area);
  type Ran = { batch: SliceSamples[]; outputs: ort.InferenceSession.OnnxValueMapType };

  // Batch k+1 runs (on ONNX Runtime's threads) while batch k is postprocessed here.
  async function launch(batch: SliceSamples[]): Promise<Ran> {
    signal?.throwIfAborted();
    const n = batch.length;
    batch.forEach((slice, k) => prepareSlice(slice, manifest, input.subarray(k * area, (k + 1) * area)));
    const started = performance.now();
    const outputs = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input.subarray(0, n * area), [n, 1, rows, columns]) });
    if (stats) {
      stats.runMs += performance.now() - started;
      stats.batches++;
      stats.slices += n;
    }
    return { batch, outputs };
  }

  function* finish({ batch, outputs }: Ran): Generator<Uint8Array> {
    const output = outputs[manifest.output.name]!;
    try {
      const data = output.data as Float32Array;
      const channels = manifest.output.kind === 'labels' ? 1 : Number(output.dims[1]);
      for (let k = 0; k < batch.length; k++) {
        const slice = batch[k]!;
        const same = slice.rows === rows && slice.columns === columns;
        const own = same ? new Uint8Array(area) : new Uint8Array(slice.rows * slice.columns);
        classesOf(data.subarray(k * channels * area, (k + 1) * channels * area), channels, area, manifest, same ? own : classes);
        if (!same) resample2d((i) => classes[i]!, rows, columns, own, slice.rows, slice.columns, 'nearest');
        removeSmallComponents(own, slice.rows, slice.columns, manifest.postprocessing.minComponentVoxels);
        yield own;
      }
    } finally {
      for (const out of Object.values(outputs)) out.dispose();
    }
  }

  let pending: SliceSamples[] = [];
  let previous: Ran | null = null;
  const next = async function* (batch: SliceSamples[]): AsyncGenerator<Uint8Array> {
    signal?.throwIfAborted();
    const running = launch(batch);
    // If the run fails, the previous batch's outputs are still released.
    running.catch(() => undefined);
    if (previous) yield* finish(previous);
    previous = await running;
  };

  try {
    for await (const slice of slices) {
      pending.push(slice);
      if (pending.length === batchSize) {
        const batch = pending;
        pending = [];
        yield* next(batch);
      }
    }
    if (pending.length) yield* next(pending);
    if (previous) {
      const last: Ran = previous;
      previous = null;
      yield* finish(last);
    }
  } finally {
    // Stopped early (cancelled, or the consumer gave up): release what is still held.
    if (previous) for (const out of Object.values((previous as Ran).outputs)) out.dispose();
  }
}
