import { labelmapValues } from '@/lib/annotations/labelmap-values';
import { giveBackBuffer, takeBuffer } from '@/lib/storage/reusable-buffers';
import { niftiImage, niftiLabel } from './nifti-write';
import { SeriesVolumeError, seriesVolume, type SeriesVolume, type VolumeGeometry } from './series-volume';

/** A series' labelmap as stored: one byte per voxel over columns × rows × slices, slices in stack order. */
export type SeriesLabelmap = { voxels: Uint8Array; columns: number; rows: number; slices: number };

export type NiftiSeriesExportInput = {
  /** The series' de-identified Part-10 instances (the bytes the dataset writes; any order, stack order is re-derived). */
  instances: readonly Uint8Array[];
  /** Decoded labelmap of the series, when it has one. */
  labelmap?: SeriesLabelmap | null;
  /**
   * Schema value → value written (nnunetLabelValues: consecutive 1..n, as nnU-Net requires). Without
   * it values are written as stored. A voxel whose value the map lacks makes the series skipped.
   */
  labelValues?: ReadonlyMap<number, number>;
};

export type NiftiSeriesExport =
  | {
      /** The image as .nii.gz: modality values (HU for CT), sform and qform from the DICOM geometry. */
      image: Buffer;
      /** The labelmap as a uint8 .nii.gz (intent label) on the same grid, when one was given. */
      label?: Buffer;
      modality: string;
      geometry: VolumeGeometry;
      /** Voxel type of the image: int16, uint16 or float32. */
      datatype: 'int16' | 'uint16' | 'float32';
    }
  | {
      /** Why no NIfTI was made for this series, for the dataset card and the publication's log. */
      skipped: string;
    };

/**
 * One series as NIfTI for the training formats (what the dataset export calls per series): the image
 * and, with a labelmap, its label volume on the same grid (labelmap voxel (i, j, k) is NIfTI voxel
 * (i, j, k)). A series that is not a regular greyscale volume (series-volume.ts says which), or whose
 * labelmap does not fit it, comes back `skipped` with the reason; the DICOM and DICOM-SEG are still
 * exported. Other errors (bugs, out of memory) are thrown.
 */
export async function niftiSeriesExport({ instances, labelmap, labelValues }: NiftiSeriesExportInput): Promise<NiftiSeriesExport> {
  let volume: SeriesVolume;
  try {
    // The volume is only compressed here: its memory goes back for the next series.
    volume = await seriesVolume(instances, { allocate: takeBuffer });
  } catch (err) {
    if (err instanceof SeriesVolumeError) return { skipped: `No NIfTI: ${err.message}` };
    throw err;
  }
  try {
    const { geometry } = volume;
    let labelVoxels: Uint8Array | null = null;
    if (labelmap) {
      const [columns, rows, slices] = geometry.dims;
      if (labelmap.columns !== columns || labelmap.rows !== rows || labelmap.slices !== slices || labelmap.voxels.length !== columns * rows * slices) {
        return { skipped: `No NIfTI: the labelmap is ${labelmap.columns}×${labelmap.rows}×${labelmap.slices} voxels, the series ${columns}×${rows}×${slices}.` };
      }
      const mapped = labelValues ? remapLabels(labelmap.voxels, labelValues) : { voxels: labelmap.voxels };
      if ('unknown' in mapped) return { skipped: `No NIfTI: the labelmap holds value ${mapped.unknown}, which the label schema does not list.` };
      labelVoxels = mapped.voxels;
    }
    const image = await niftiImage(volume);
    const label = labelVoxels ? await niftiLabel(labelVoxels, geometry) : undefined;
    const datatype = volume.voxels instanceof Int16Array ? 'int16' : volume.voxels instanceof Uint16Array ? 'uint16' : 'float32';
    return { image, ...(label ? { label } : {}), modality: volume.modality, geometry, datatype };
  } finally {
    giveBackBuffer(volume.voxels.buffer);
  }
}

/**
 * The labelmap with each value replaced as the map says (0 stays 0), or the first value it lacks. A
 * schema that already numbers its segments 1..n maps every value to itself: the labelmap is then only
 * checked and given back as it is (a copy of a 512×512×300 labelmap costs more than the check).
 */
function remapLabels(voxels: Uint8Array, values: ReadonlyMap<number, number>): { voxels: Uint8Array } | { unknown: number } {
  const table = new Int16Array(256).fill(-1);
  table[0] = 0;
  for (const [from, to] of values) {
    if (Number.isInteger(from) && from >= 1 && from <= 255 && Number.isInteger(to) && to >= 0 && to <= 255) table[from] = to;
  }
  if (table.every((to, from) => to < 0 || to === from)) {
    const unknown = labelmapValues(voxels).find((v) => table[v]! < 0);
    return unknown === undefined ? { voxels } : { unknown };
  }
  const out = new Uint8Array(voxels.length);
  for (let i = 0; i < voxels.length; i++) {
    const v = table[voxels[i]!]!;
    if (v < 0) return { unknown: voxels[i]! };
    out[i] = v;
  }
  return { voxels: out };
}
