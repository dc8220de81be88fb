import type { DataSet } from 'dicom-parser';
import { bufferSource } from '@/lib/dicom/byte-source';
import { DicomRejection } from '@/lib/dicom/dicom-rejection';
import { canDecodeFrames, readFrames } from '@/lib/dicom/frame-pixels';
import { readDataSet, readDicomHeader, type DicomHeader } from '@/lib/dicom/read-header';
import { EXPLICIT_VR_BIG_ENDIAN } from '@/lib/dicom/transfer-syntaxes';
import { bufferReader, type NativePixels } from '@/lib/dicom/read-native-frame';
import { orderStack, type InstanceJson } from '@/lib/dicom/stack-order.client';
import { AppError } from '@/lib/errors/app-error';

/**
 * A series as one regular 3D grid, for the training formats (NIfTI, nnU-Net, MONAI), and its frames
 * as modality values (COCO's PNGs). Pure: it reads the de-identified Part-10 bytes the dataset export
 * writes (de-identification keeps Pixel Data byte for byte), never the blob store. docs/dataset-formats.md.
 */

export type Vec3 = [number, number, number];

/** Why a series cannot become a volume; the caller skips NIfTI for it and says why. */
export const VOLUME_REFUSALS = ['empty', 'unreadable', 'colour', 'pixels', 'undecodable', 'geometry', 'size', 'orientation', 'spacing', 'duplicate'] as const;
export type VolumeRefusal = (typeof VOLUME_REFUSALS)[number];

/** A series (or instance) the volume export refuses: a BAD_REQUEST whose message says why, for people. */
export class SeriesVolumeError extends AppError {
  constructor(
    readonly refusal: VolumeRefusal,
    message: string,
  ) {
    super('BAD_REQUEST', message, { refusal });
    this.name = 'SeriesVolumeError';
  }
}

/**
 * Largest difference between two slices' Image Orientation (Patient) components still taken as one
 * orientation (≈ 0.006°): DS rounding, not a different plane.
 */
export const ORIENTATION_TOLERANCE = 1e-4;
/** Largest difference between two slices' Pixel Spacing values, mm. */
export const PIXEL_SPACING_TOLERANCE = 1e-4;
/**
 * How far a slice may lie from where even spacing puts it: 5 % of the spacing, at least 0.01 mm.
 * Scanners round positions to 0.1 mm (a 7 mm MR stack then wobbles by ±0.09 mm), while a missing
 * slice moves some slice by half a spacing or more, and uneven steps (5, 5, 7.5, 5…) by far more.
 */
export const SPACING_TOLERANCE = { fraction: 0.05, mm: 0.01 } as const;
/**
 * How far the slice step may lean off the slices' normal, as a fraction of the step (≈ 1.1°). A
 * tilted gantry makes a sheared grid, which a NIfTI qform (a rotation) cannot hold, so readers that
 * use the qform would misplace it: such series are refused.
 */
export const TILT_TOLERANCE = 0.02;

export type StoredSamples = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** One frame of a greyscale instance: its stored samples, how they become modality values, where it lies. */
export type DecodedFrame = {
  sopInstanceUid: string;
  /** 1-based frame number within the instance. */
  frame: number;
  columns: number;
  rows: number;
  /** Stored values (Bits Stored, sign-extended), row by row, column fastest. */
  samples: StoredSamples;
  /** Smallest and largest stored value. */
  range: [number, number];
  /** Modality value = stored × slope + intercept (Rescale Slope and Intercept; 1 and 0 when absent). */
  rescale: { slope: number; intercept: number };
  /** Window Center and Width (the first pair), in modality values, when the file gives one. */
  window: { center: number; width: number } | null;
  /** MONOCHROME1: low values are shown white. The values themselves are not inverted. */
  monochrome1: boolean;
  /** Image Position (Patient) of the frame's first pixel centre, mm (per-frame functional groups first). */
  position: Vec3 | null;
  /** Image Orientation (Patient): row direction (along a row, increasing column), then column direction. */
  orientation: number[] | null;
  /** Pixel Spacing as DICOM orders it: [between rows, between columns], mm. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  spacingBetweenSlices: number | null;
};

export type DecodedInstance = {
  sopInstanceUid: string;
  modality: string;
  transferSyntaxUid: string;
  frames: DecodedFrame[];
};

/** Where a volume lies: what NIfTI's sform and qform are made of (nifti-write.ts). */
export type VolumeGeometry = {
  /** [columns, rows, slices]: NIfTI i runs along a row (column index), j down the columns (row index), k over slices. */
  dims: Vec3;
  /** Image Orientation (Patient) of the slices (the first slice's values), LPS. */
  orientation: [number, number, number, number, number, number];
  /** Image Position (Patient) of the first and last slice, LPS mm. */
  firstPosition: Vec3;
  lastPosition: Vec3;
  /** As DICOM orders it: [between rows (Δrow), between columns (Δcol)], mm. */
  pixelSpacing: [number, number];
  /** From one slice to the next, LPS mm: (last − first) / (N − 1); one slice: the normal × its thickness. */
  sliceStep: Vec3;
  /** Length of sliceStep, mm. */
  sliceSpacing: number;
};

/**
 * A series as a volume. Voxels hold modality values (HU for CT: Rescale Slope and Intercept applied,
 * slice by slice): int16 when every value is an integer that fits, else uint16 when they fit that,
 * else float32. Memory order is NIfTI's: column fastest, then row, then slice, slices in the viewer's
 * stack order (lib/dicom/stack-order.client.ts), which is the order labelmaps are stored in.
 */
export type SeriesVolume = {
  modality: string;
  voxels: Int16Array | Uint16Array | Float32Array;
  geometry: VolumeGeometry;
  /** The image behind each slice, in slice order. */
  images: { sopInstanceUid: string; frame: number }[];
  /** The middle slice's window, for viewers' default display range; null when the files give none. */
  window: { center: number; width: number } | null;
};

/**
 * The frames of one greyscale instance, decoded: native (either byte order), deflated, or compressed
 * in a syntax the server decodes (lib/dicom/frame-pixels.ts: JPEG, JPEG-LS, JPEG 2000, RLE). Throws
 * SeriesVolumeError for colour or palette images, pixel layouts other than 8, 16 or 32 bits, a syntax
 * that is not decoded here (HTJ2K, JPEG XL, video…), or a file that cannot be read.
 */
export async function decodeInstance(part10: Uint8Array): Promise<DecodedInstance> {
  const { header, dataSet } = await readInstance(part10);
  const described = describeInstance(header, dataSet);
  return { ...described, frames: await decodeFrames(part10, header, dataSet, described) };
}

/** What a frame is before its pixels are decoded. */
export type FrameGeometry = Omit<DecodedFrame, 'samples' | 'range'>;
type DescribedInstance = Omit<DecodedInstance, 'frames'> & { frames: FrameGeometry[]; pixels: NativePixels };

/** An instance's frames without their pixels: every check that needs no decoding, and where each frame lies. */
function describeInstance(header: DicomHeader, dataSet: DataSet): DescribedInstance {
  const { instance, transferSyntax } = header;
  const which = `Instance ${header.sopInstanceUid}`;
  const layout = header.pixelData;
  if (!layout) throw new SeriesVolumeError('pixels', `${which} has no Pixel Data (7FE0,0010): it is not an image, or holds float pixels.`);
  const { rows, columns, bitsAllocated } = instance;
  if (!rows || !columns || !bitsAllocated) throw new SeriesVolumeError('pixels', `${which} does not say its Rows, Columns and Bits Allocated.`);
  const photometric = instance.photometricInterpretation;
  if ((instance.samplesPerPixel ?? 1) !== 1 || !/^MONOCHROME[12]$/.test(photometric)) {
    throw new SeriesVolumeError('colour', `${which} is a colour image (${photometric || 'no Photometric Interpretation'}, ${instance.samplesPerPixel ?? 1} samples per pixel): NIfTI and the training formats take greyscale images.`);
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) {
    throw new SeriesVolumeError('pixels', `${which} has ${bitsAllocated}-bit pixels; 8, 16 and 32 bits are exported.`);
  }
  if (!canDecodeFrames({ transferSyntaxUid: transferSyntax.uid, photometricInterpretation: photometric })) {
    throw new SeriesVolumeError('undecodable', `${which} is stored as ${transferSyntax.name}, which the server does not decode.`);
  }

  const perFrame = dataSet.elements.x52009230?.items;
  const shared = dataSet.elements.x52009229?.items?.[0]?.dataSet;
  const frames = Array.from({ length: instance.frames }, (_, f): FrameGeometry => {
    const groups = [perFrame?.[f]?.dataSet, shared];
    const fromGroups = (sequence: string, tag: string) => {
      for (const group of groups) {
        const item = group?.elements[sequence]?.items?.[0]?.dataSet;
        const values = item ? decimalsOf(item, tag) : null;
        if (values) return values;
      }
      return null;
    };
    const position = fromGroups(PLANE_POSITION, IMAGE_POSITION) ?? (f === 0 ? instance.imagePositionPatient : null);
    const orientation = fromGroups(PLANE_ORIENTATION, IMAGE_ORIENTATION) ?? instance.imageOrientationPatient;
    const spacing = fromGroups(PIXEL_MEASURES, 'x00280030') ?? instance.pixelSpacing;
    const slope = fromGroups(VALUE_TRANSFORMATION, 'x00281053')?.[0] ?? instance.rescaleSlope ?? 1;
    const intercept = fromGroups(VALUE_TRANSFORMATION, 'x00281052')?.[0] ?? instance.rescaleIntercept ?? 0;
    const center = fromGroups(FRAME_VOI_LUT, 'x00281050')?.[0] ?? instance.windowCenter;
    const width = fromGroups(FRAME_VOI_LUT, 'x00281051')?.[0] ?? instance.windowWidth;
    return {
      sopInstanceUid: header.sopInstanceUid,
      frame: f + 1,
      columns,
      rows,
      // A zero slope would erase the image: it is read as 1.
      rescale: { slope: slope === 0 ? 1 : slope, intercept },
      window: center !== null && width !== null && width > 0 ? { center, width } : null,
      monochrome1: photometric === 'MONOCHROME1',
      position: position?.length === 3 ? (position as Vec3) : null,
      orientation: orientation?.length === 6 ? orientation : null,
      pixelSpacing: spacing?.length === 2 ? [spacing[0]!, spacing[1]!] : null,
      sliceThickness: fromGroups(PIXEL_MEASURES, 'x00180050')?.[0] ?? instance.sliceThickness,
      spacingBetweenSlices: fromGroups(PIXEL_MEASURES, 'x00180088')?.[0] ?? decimalsOf(dataSet, 'x00180088')?.[0] ?? null,
    };
  });
  const pixels: NativePixels = {
    rows,
    columns,
    samplesPerPixel: 1,
    bitsAllocated,
    photometricInterpretation: photometric,
    pixelDataOffset: layout.offset,
    pixelDataLength: layout.encapsulated ? null : layout.length,
    frames: instance.frames,
  };
  return { sopInstanceUid: header.sopInstanceUid, modality: header.series.modality, transferSyntaxUid: transferSyntax.uid, frames, pixels };
}

/** The described frames with their stored samples. */
async function decodeFrames(part10: Uint8Array, header: DicomHeader, dataSet: DataSet, described: DescribedInstance): Promise<DecodedFrame[]> {
  const { pixels } = described;
  const raw = await rawFrames(part10, header, dataSet, pixels);
  const bitsAllocated = pixels.bitsAllocated as 8 | 16 | 32;
  const bitsStored = Math.min(bitsAllocated, header.instance.bitsStored ?? bitsAllocated);
  const signed = header.instance.pixelRepresentation === 1;
  return described.frames.map((frame, f) => ({ ...frame, ...storedSamples(raw[f]!, frame.rows * frame.columns, bitsAllocated, bitsStored, signed) }));
}

/**
 * A series' instances (Part-10 bytes) as one volume, slices in the viewer's stack order (orderStack,
 * from the same attributes the viewer orders by), so labelmap slice k is volume slice k. Refuses
 * (SeriesVolumeError) an empty series, colour images, frames of different sizes or pixel spacings,
 * varying orientation, slices missing or unevenly spaced, a tilted gantry, and pixels not decoded here;
 * each tolerance is exported above and explained in docs/dataset-formats.md. Everything but decoding
 * is checked before any pixel is decoded.
 */
export async function seriesVolume(
  instances: readonly Uint8Array[],
  /** Where the voxels' memory comes from (lib/storage/reusable-buffers.ts when the caller gives it back). */
  { allocate = (bytes: number) => new ArrayBuffer(bytes) }: { allocate?: (bytes: number) => ArrayBuffer } = {},
): Promise<SeriesVolume> {
  if (!instances.length) throw new SeriesVolumeError('empty', 'The series has no instances.');
  const read: { bytes: Uint8Array; header: DicomHeader; dataSet: DataSet; described: DescribedInstance }[] = [];
  const frames = new Map<string, FrameGeometry>();
  for (const bytes of instances) {
    const { header, dataSet } = await readInstance(bytes);
    const described = describeInstance(header, dataSet);
    for (const f of described.frames) {
      const key = `${f.sopInstanceUid}/${f.frame}`;
      if (frames.has(key)) throw new SeriesVolumeError('duplicate', `Instance ${f.sopInstanceUid} is in the series twice.`);
      frames.set(key, f);
    }
    read.push({ bytes, header, dataSet, described });
  }
  const stack = orderStack(read.map(({ header, dataSet }) => stackJson(header, dataSet)));
  const order = stack.images.map((image) => `${image.sopInstanceUid}/${image.frame}`);
  const geometry = volumeGeometry(order.map((key) => frames.get(key)!));

  const decoded = new Map<string, DecodedFrame>();
  for (const { bytes, header, dataSet, described } of read) {
    for (const f of await decodeFrames(bytes, header, dataSet, described)) decoded.set(`${f.sopInstanceUid}/${f.frame}`, f);
  }
  const slices = order.map((key) => decoded.get(key)!);
  const middle = slices[Math.floor(slices.length / 2)]!;
  return {
    modality: read[0]!.described.modality,
    voxels: volumeVoxels(slices, allocate),
    geometry,
    images: slices.map((s) => ({ sopInstanceUid: s.sopInstanceUid, frame: s.frame })),
    window: middle.window,
  };
}

/** The regular grid the slices (in stack order) form, or a SeriesVolumeError saying why they do not. */
export function volumeGeometry(slices: readonly FrameGeometry[]): VolumeGeometry {
  const first = slices[0];
  if (!first) throw new SeriesVolumeError('empty', 'The series has no images.');
  const last = slices[slices.length - 1]!;
  for (const [k, s] of slices.entries()) {
    if (s.columns !== first.columns || s.rows !== first.rows) {
      throw new SeriesVolumeError('size', `The series mixes image sizes (${first.columns}×${first.rows} and ${s.columns}×${s.rows}, slice ${k + 1}): a volume has one.`);
    }
    if (!s.position || !s.orientation || !s.pixelSpacing) {
      throw new SeriesVolumeError('geometry', `Slice ${k + 1} does not say where it lies (Image Position and Orientation (Patient), Pixel Spacing): a NIfTI volume needs them.`);
    }
    const tilt = s.orientation.reduce((m, v, i) => Math.max(m, Math.abs(v - first.orientation![i]!)), 0);
    if (tilt > ORIENTATION_TOLERANCE) throw new SeriesVolumeError('orientation', `The series' slices have different orientations (slice ${k + 1} differs from the first by ${tilt.toFixed(4)}): a NIfTI volume has one.`);
    const spacing = Math.max(Math.abs(s.pixelSpacing[0] - first.pixelSpacing![0]), Math.abs(s.pixelSpacing[1] - first.pixelSpacing![1]));
    if (spacing > PIXEL_SPACING_TOLERANCE) throw new SeriesVolumeError('size', `The series mixes pixel spacings (slice ${k + 1}): a volume has one.`);
  }
  const iop = first.orientation! as VolumeGeometry['orientation'];
  const x: Vec3 = [iop[0], iop[1], iop[2]];
  const y: Vec3 = [iop[3], iop[4], iop[5]];
  if (Math.abs(norm(x) - 1) > 0.01 || Math.abs(norm(y) - 1) > 0.01 || Math.abs(dot(x, y)) > 0.01) {
    throw new SeriesVolumeError('geometry', `Its Image Orientation (Patient) (${iop.join(', ')}) is not two perpendicular unit vectors.`);
  }
  const normal = unit(cross(x, y));
  const p0 = first.position!;
  const pn = last.position!;
  const n = slices.length;
  let step: Vec3;
  if (n === 1) {
    step = scale(normal, first.sliceThickness ?? first.spacingBetweenSlices ?? 1);
  } else {
    step = scale(sub(pn, p0), 1 / (n - 1));
    const spacing = norm(step);
    if (spacing < 1e-3) throw new SeriesVolumeError('spacing', 'The slices of the series lie at one position: they do not form a volume.');
    const tolerance = Math.max(SPACING_TOLERANCE.mm, SPACING_TOLERANCE.fraction * spacing);
    for (const [k, s] of slices.entries()) {
      const off = norm(sub(s.position!, add(p0, scale(step, k))));
      if (off > tolerance) {
        throw new SeriesVolumeError(
          'spacing',
          `The slices are not evenly spaced: slice ${k + 1} of ${n} lies ${off.toFixed(2)} mm from where a spacing of ${spacing.toFixed(3)} mm puts it (tolerance ${tolerance.toFixed(2)} mm). A slice may be missing; NIfTI needs a regular grid.`,
        );
      }
    }
    const along = dot(step, normal);
    const across = norm(sub(step, scale(normal, along)));
    if (across > TILT_TOLERANCE * spacing) {
      throw new SeriesVolumeError('spacing', `The slices are not stacked along their normal (the stack leans by ${((Math.atan2(across, Math.abs(along)) * 180) / Math.PI).toFixed(1)}°: a tilted gantry). Such a sheared grid is not exported as NIfTI.`);
    }
  }
  return {
    dims: [first.columns, first.rows, n],
    orientation: [...iop],
    firstPosition: [...p0],
    lastPosition: [...pn],
    pixelSpacing: [...first.pixelSpacing!],
    sliceStep: step,
    sliceSpacing: norm(step),
  };
}

/** The slices' modality values in one array of the narrowest type that holds them exactly (see SeriesVolume). */
function volumeVoxels(slices: readonly DecodedFrame[], allocate: (bytes: number) => ArrayBuffer): SeriesVolume['voxels'] {
  let integers = true;
  let low = Infinity;
  let high = -Infinity;
  for (const { rescale, range } of slices) {
    if (!Number.isInteger(rescale.slope) || !Number.isInteger(rescale.intercept)) integers = false;
    const a = range[0] * rescale.slope + rescale.intercept;
    const b = range[1] * rescale.slope + rescale.intercept;
    low = Math.min(low, a, b);
    high = Math.max(high, a, b);
  }
  const count = slices[0]!.samples.length;
  const total = count * slices.length;
  const Type = integers && low >= -32768 && high <= 32767 ? Int16Array : integers && low >= 0 && high <= 65535 ? Uint16Array : Float32Array;
  // Every voxel is written below, so memory handed back by an earlier series needs no clearing.
  const out = new Type(allocate(total * Type.BYTES_PER_ELEMENT), 0, total);
  for (const [k, { samples, rescale }] of slices.entries()) {
    const offset = k * count;
    const { slope, intercept } = rescale;
    if (out instanceof Float32Array) {
      for (let i = 0; i < count; i++) out[offset + i] = samples[i]! * slope + intercept;
      continue;
    }
    // Integers: copied natively, then rescaled in place over one array type (a loop reading any of
    // six sample types is several times slower). Exact: a 16-bit store keeps its value modulo 2^16,
    // so wrapping the stored value first changes nothing in a result that fits.
    out.set(samples, offset);
    if (slope !== 1 || intercept !== 0) rescaleInPlace(out.subarray(offset, offset + count), slope, intercept);
  }
  return out;
}

function rescaleInPlace(values: Int16Array | Uint16Array, slope: number, intercept: number): void {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * slope + intercept;
}

// ---- Reading one instance ----

const IMAGE_POSITION = 'x00200032';
const IMAGE_ORIENTATION = 'x00200037';
const PLANE_POSITION = 'x00209113';
const PLANE_ORIENTATION = 'x00209116';
const PIXEL_MEASURES = 'x00289110';
const VALUE_TRANSFORMATION = 'x00289145';
const FRAME_VOI_LUT = 'x00289132';

async function readInstance(part10: Uint8Array): Promise<{ header: DicomHeader; dataSet: DataSet }> {
  const source = bufferSource(part10);
  try {
    return { header: await readDicomHeader(source), dataSet: await readDataSet(source) };
  } catch (err) {
    if (err instanceof DicomRejection) throw new SeriesVolumeError('unreadable', `An instance of the series cannot be read: ${err.message}`);
    throw err;
  }
}

/** Every frame's native little-endian samples, however the file stores them (describeInstance has checked it can be read). */
async function rawFrames(part10: Uint8Array, header: DicomHeader, dataSet: DataSet, pixels: NativePixels): Promise<Buffer[]> {
  const ts = header.transferSyntax;
  const { rows, columns, bitsAllocated, pixelDataOffset, pixelDataLength } = pixels;
  const frameBytes = (rows ?? 0) * (columns ?? 0) * ((bitsAllocated ?? 0) / 8);
  if (!ts.encapsulated && !ts.deflated && ts.uid !== EXPLICIT_VR_BIG_ENDIAN && frameBytes > 0 && pixelDataOffset !== null && pixelDataLength !== null && pixelDataLength >= frameBytes * pixels.frames) {
    // Native little-endian bytes in memory are the samples already: views, not copies (a 512² CT
    // series is 150 MiB, and fresh memory is slow to fault in on small VMs).
    const start = part10.byteOffset + pixelDataOffset;
    return Array.from({ length: pixels.frames }, (_, i) => Buffer.from(part10.buffer, start + i * frameBytes, frameBytes));
  }
  const numbers = Array.from({ length: pixels.frames }, (_, i) => i + 1);
  // The same reader as for stored instances (lib/dicom/frame-pixels.ts), on bytes in memory; a
  // deflated file's Pixel Data offsets are in its inflated data set, as the parser gave it (as at ingest).
  try {
    const decoded = await readFrames(bufferReader(ts.deflated ? dataSet.byteArray : part10), { ...pixels, transferSyntaxUid: ts.uid }, numbers, 0);
    return decoded.map((frame) => frame.samples);
  } catch (err) {
    throw new SeriesVolumeError('undecodable', `Instance ${header.sopInstanceUid} (${ts.name}) could not be decoded: ${(err as Error).message}`);
  }
}

/** Stored values as numbers: masked to Bits Stored and sign-extended when Pixel Representation is 1. */
function storedSamples(raw: Buffer, count: number, bitsAllocated: 8 | 16 | 32, bitsStored: number, signed: boolean): { samples: StoredSamples; range: [number, number] } {
  const bytes = bitsAllocated / 8;
  // Typed views need aligned offsets; decoders and readNativeFrame give fresh buffers, so this rarely copies.
  const aligned = raw.byteOffset % bytes === 0 ? raw : new Uint8Array(raw);
  const Source = bitsAllocated === 8 ? Uint8Array : bitsAllocated === 16 ? Uint16Array : Uint32Array;
  const source = new Source(aligned.buffer as ArrayBuffer, aligned.byteOffset, count);
  const Target = signed ? (bitsAllocated === 8 ? Int8Array : bitsAllocated === 16 ? Int16Array : Int32Array) : Source;
  let low = Infinity;
  let high = -Infinity;
  // The frame's own bytes, seen as the stored type (no copy to fault in), when nothing needs masking
  // or sign extension: Bits Stored fills the word, or (as most scanners write them) every value is
  // already what masking and sign extension would make of it.
  const view = new Target(aligned.buffer as ArrayBuffer, aligned.byteOffset, count);
  for (let i = 0; i < count; i++) {
    const v = view[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const fits = bitsStored === bitsAllocated || (signed ? low >= -(2 ** (bitsStored - 1)) && high < 2 ** (bitsStored - 1) : high < 2 ** bitsStored);
  if (fits) return { samples: view, range: [low, high] };
  low = Infinity;
  high = -Infinity;
  const samples = new Target(count);
  // Bits above Bits Stored may hold overlays or garbage: masked off (a mask of 32 bits would overflow).
  const full = bitsStored >= 32;
  const mask = full ? 0 : 2 ** bitsStored - 1;
  const modulus = 2 ** bitsStored;
  const signBit = 2 ** (bitsStored - 1);
  for (let i = 0; i < count; i++) {
    let v = full ? source[i]! : source[i]! & mask;
    if (signed && v >= signBit) v -= modulus;
    samples[i] = v;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return { samples, range: [low, high] };
}

/** The attributes orderStack reads, as DICOM JSON: the export orders slices exactly as the viewer did. */
function stackJson(header: DicomHeader, dataSet: DataSet): InstanceJson {
  const { instance } = header;
  const json: InstanceJson = {
    '00080018': { vr: 'UI', Value: [header.sopInstanceUid] },
    '00280008': { vr: 'IS', Value: [instance.frames] },
    ...(instance.number !== null ? { '00200013': { vr: 'IS', Value: [instance.number] } } : {}),
    ...(instance.rows !== null ? { '00280010': { vr: 'US', Value: [instance.rows] } } : {}),
    ...(instance.columns !== null ? { '00280011': { vr: 'US', Value: [instance.columns] } } : {}),
    ...(instance.imagePositionPatient ? { '00200032': { vr: 'DS', Value: instance.imagePositionPatient } } : {}),
    ...(instance.imageOrientationPatient ? { '00200037': { vr: 'DS', Value: instance.imageOrientationPatient } } : {}),
  };
  const perFrame = dataSet.elements.x52009230?.items;
  if (perFrame?.length) {
    json['52009230'] = {
      vr: 'SQ',
      Value: perFrame.map((item) => {
        const position = item.dataSet?.elements[PLANE_POSITION]?.items?.[0]?.dataSet;
        const values = position ? decimalsOf(position, IMAGE_POSITION) : null;
        return values ? { '00209113': { vr: 'SQ', Value: [{ '00200032': { vr: 'DS', Value: values } }] } } : {};
      }),
    };
  }
  return json;
}

/** A decimal string's values, or null when absent or not all numbers. */
function decimalsOf(dataSet: DataSet, tag: string): number[] | null {
  const raw = (dataSet.string(tag) ?? '').replace(/[\0 ]+$/, '').trim();
  if (!raw) return null;
  const values = raw.split('\\').map((v) => Number.parseFloat(v));
  return values.every(Number.isFinite) ? values : null;
}

// ---- Vectors ----

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => scale(a, 1 / norm(a));
