import dicomParser from 'dicom-parser';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import type { SliceSamples } from '@/lib/inference/preprocess';

/** A phantom CT series (lib/dicom/synthetic-ct.ts) as the slices a 2D model takes: stored samples and their rescale, in instance order. */
export function phantomSlices(slices: number, seed: number): SliceSamples[] {
  return syntheticCtSeries({ slices, seed }).map((file) => {
    const ds = dicomParser.parseDicom(file);
    const pixels = ds.elements.x7fe00010!;
    const samples = new Int16Array(file.slice(pixels.dataOffset, pixels.dataOffset + pixels.length).buffer);
    return { samples, rows: ds.uint16('x00280010')!, columns: ds.uint16('x00280011')!, slope: Number(ds.string('x00281053')), intercept: Number(ds.string('x00281052')) };
  });
}
