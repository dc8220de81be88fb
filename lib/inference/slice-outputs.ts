import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '@/lib/errors/app-error';
import { prepareSlice, type SliceSamples } from './preprocess';
import type { ReadyModel } from './registry';
import { sessionFor } from './session-pool';

export type SliceRunStats = { slices: number; batches: number; runMs: number };

/** A slice and the model's output for it: `data` is the output without its batch dimension, shaped `dims`. */
export type SliceOutput<S extends SliceSamples = SliceSamples> = { slice: S; data: Float32Array; dims: number[] };

/**
 * Runs a 2D model over a series slice by slice: slices are prepared as the manifest says, batched,
 * run through the pooled session, and each slice's share of the output is yielded in input order.
 * `data` is valid until the next item is asked for (the batch's outputs are released then), so memory
 * stays at one batch whatever the series' length. `signal` stops between batches.
 *
 * Batches run one after the other: onnxruntime-node's session.run computes on the JavaScript thread
 * (its promise only defers the call), so a batch cannot be postprocessed while the next one runs.
 */
export async function* sliceOutputs<S extends SliceSamples>(
  model: ReadyModel,
  slices: AsyncIterable<S> | Iterable<S>,
  { signal, stats }: { signal?: AbortSignal; stats?: SliceRunStats } = {},
): AsyncGenerator<SliceOutput<S>> {
  const { manifest } = model;
  if (manifest.preprocessing.mode.kind !== 'slice2d') throw new AppError('CONFLICT', `${manifest.name} is a 3D model: it runs on volumes, not slice by slice.`);
  if (manifest.input.channels !== 1) throw new AppError('CONFLICT', `${manifest.name} takes ${manifest.input.channels} channels; Cohort feeds 2D models one greyscale channel.`);
  const session = await sessionFor(model.sha256, () => readFile(path.join(model.dir, manifest.file)));
  const [rows, columns] = manifest.input.size as [number, number];
  const area = rows * columns;
  const batchSize = manifest.preprocessing.mode.batch;
  const input = new Float32Array(batchSize * area);

  async function* run(batch: S[]): AsyncGenerator<SliceOutput<S>> {
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
      if (output.type !== 'float32') throw new AppError('CONFLICT', `${manifest.name}'s output "${output.dims.join('×')}" is ${output.type}; Cohort reads float32 outputs.`);
      const dims = output.dims.slice(1).map(Number);
      if (Number(output.dims[0]) !== n) throw new AppError('CONFLICT', `${manifest.name} gave ${output.dims[0]} results for a batch of ${n} slices: its output's first dimension must be the batch.`);
      const data = output.data as Float32Array;
      const each = data.length / n;
      for (let k = 0; k < n; k++) yield { slice: batch[k]!, data: data.subarray(k * each, (k + 1) * each), dims };
    } finally {
      for (const out of Object.values(outputs)) out.dispose();
    }
  }

  let pending: S[] = [];
  for await (const slice of slices) {
    pending.push(slice);
    if (pending.length === batchSize) {
      yield* run(pending);
      pending = [];
    }
  }
  if (pending.length) yield* run(pending);
}
