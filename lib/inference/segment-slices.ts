import { classesOf, removeSmallComponents } from './postprocess';
import { resample2d, type SliceSamples } from './preprocess';
import type { ReadyModel } from './registry';
import { sliceOutputs, type SliceRunStats } from './slice-outputs';

export type { SliceRunStats } from './slice-outputs';

/**
 * Segments a series slice by slice with a 2D model (see sliceOutputs) and turns each slice's output
 * back into a class map of the slice's own size (1 + the class's position in the manifest, 0: none;
 * or `classValues` of that number), yielded in input order.
 */
export async function* segmentSlices(
  model: ReadyModel,
  slices: AsyncIterable<SliceSamples> | Iterable<SliceSamples>,
  { signal, stats, classValues }: { signal?: AbortSignal; stats?: SliceRunStats; classValues?: Uint8Array } = {},
): AsyncGenerator<Uint8Array> {
  const { manifest } = model;
  const [rows, columns] = manifest.input.size as [number, number];
  const area = rows * columns;
  const classes = new Uint8Array(area);
  for await (const { slice, data, dims } of sliceOutputs(model, slices, { signal, stats })) {
    const channels = manifest.output.kind === 'labels' ? 1 : dims[0]!;
    const same = slice.rows === rows && slice.columns === columns;
    const own = new Uint8Array(slice.rows * slice.columns);
    classesOf(data, channels, area, manifest, same ? own : classes, classValues);
    if (!same) resample2d((i) => classes[i]!, rows, columns, own, slice.rows, slice.columns, 'nearest');
    removeSmallComponents(own, slice.rows, slice.columns, manifest.postprocessing.minComponentVoxels);
    yield own;
  }
}
