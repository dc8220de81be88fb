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
 * (1 + the class's position in the manifest, 0: none; or `classValues` of that number), yielded in input
 * order. Memory stays at one batch whatever the series' length. `signal` stops between batches.
 *
 * Batches run one after the other: onnxruntime-node's session.run computes on the JavaScript thread
 * (its promise only defers the call), so a batch cannot be postprocessed while the next one runs.
 */
export async function* segmentSlices(
  model: ReadyModel,
  slices: AsyncIterable<SliceSamples> | Iterable<SliceSamples>,
  { signal, stats, classValues }: { signal?: AbortSignal; stats?: SliceRunStats; classValues?: Uint8Array } = {},
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

  /** Runs one batch and yields its slices' class maps; the outputs are released however it ends. */
  async function* run(batch: SliceSamples[]): AsyncGenerator<Uint8Array> {
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
    try {
      const output = outputs[manifest.output.name]!;
      const data = output.data as Float32Array;
      const channels = manifest.output.kind === 'labels' ? 1 : Number(output.dims[1]);
      for (let k = 0; k < n; k++) {
        const slice = batch[k]!;
        const same = slice.rows === rows && slice.columns === columns;
        const own = new Uint8Array(slice.rows * slice.columns);
        classesOf(data.subarray(k * channels * area, (k + 1) * channels * area), channels, area, manifest, same ? own : classes, classValues);
        if (!same) resample2d((i) => classes[i]!, rows, columns, own, slice.rows, slice.columns, 'nearest');
        removeSmallComponents(own, slice.rows, slice.columns, manifest.postprocessing.minComponentVoxels);
        yield own;
      }
    } finally {
      for (const out of Object.values(outputs)) out.dispose();
    }
  }

  let pending: SliceSamples[] = [];
  for await (const slice of slices) {
    pending.push(slice);
    if (pending.length === batchSize) {
      yield* run(pending);
      pending = [];
    }
  }
  if (pending.length) yield* run(pending);
}
