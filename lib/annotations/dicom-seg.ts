import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { matchingSegment } from '@/lib/annotations/label-schema';
import { slicesPerValue } from '@/lib/annotations/labelmap-values';
import { MAX_LABELMAP_LAYERS } from '@/lib/annotations/schemas';
import { decodeFrame } from '@/lib/dicom/codecs/decode-frame';
import { encapsulatedFrames } from '@/lib/dicom/encapsulated-frames';
import { standardDate, standardTime } from '@/lib/dicom/standard-date-time';
import { bufferReader } from '@/lib/dicom/read-native-frame';
import { transferSyntaxOf } from '@/lib/dicom/transfer-syntaxes';
import { newUid } from '@/lib/dicom/uid';
import { writePart10 } from '@/lib/dicom/write-part10';
import { APP_VERSION } from '@/lib/version';

/**
 * A reader's labelmap as a DICOM Segmentation (PS3.3 A.51) and back. Export writes a BINARY SEG: one
 * 1-bit frame per (segment, slice) that holds the segment, each naming its source image and position,
 * so PACS and viewers (OHIF, Slicer, highdicom) place it on the series. Import reads a SEG made by any
 * tool (BINARY, FRACTIONAL, or LABELMAP; uncompressed or losslessly compressed) onto the series it was
 * made on, matching its segments to the label schema by code, then by name.
 */

/** A SEG that cannot be imported (or a labelmap that cannot be exported), with the reason. */
export class DicomSegError extends Error {
  override name = 'DicomSegError';
}

/** One slice of the source series, in the viewer's stack order. `frame` is 1-based. */
export type SegSourceImage = { sopClassUid: string; sopInstanceUid: string; frame: number; position: [number, number, number] | null };

/** The series a labelmap was drawn on: its slices, geometry and the study it belongs to. */
export type SegSource = {
  images: SegSourceImage[];
  columns: number;
  rows: number;
  /** Image Orientation (Patient): 6 direction cosines. */
  orientation: number[] | null;
  /** Row spacing, column spacing (mm). */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  frameOfReferenceUid: string | null;
  /** Patient and study attributes, copied into the SEG. */
  study: {
    studyInstanceUid: string;
    patientName?: string;
    patientId?: string;
    patientBirthDate?: string;
    patientSex?: string;
    studyDate?: string;
    studyTime?: string;
    studyId?: string;
    accessionNumber?: string;
    referringPhysicianName?: string;
  };
  /** Series Instance UID of the source series. */
  seriesInstanceUid: string;
};

export type SegCode = { scheme: string; value: string; meaning: string };
/** A segment class of the label schema, as far as SEG export and import need it. */
export type SegSegment = { value: number; name: string; color?: string; code?: SegCode };

export type SegImport = {
  labelmap: Uint8Array;
  /** Layers 1, 2, … for segments that overlap others (lib/annotations/labelmap-layers.client.ts); none when none do. */
  overlapLayers: Uint8Array[];
  /** Every segment of the SEG and the schema value it was read into (null: left out). */
  mapping: { segmentNumber: number; label: string; value: number | null }[];
  warnings: string[];
};

const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
const LABEL_MAP_SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.7';
/** Implicit and explicit VR little endian, and deflated explicit (dcmjs inflates it): frames are plain bytes. */
const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);
/**
 * Encapsulated syntaxes whose frames decode to exactly the values encoded. A lossy codec would move
 * segment boundaries and blur segment numbers, so a SEG in one is refused rather than guessed at.
 */
const LOSSLESS_ENCAPSULATED_SYNTAXES = new Set([
  '1.2.840.10008.1.2.1.98', // Encapsulated Uncompressed
  '1.2.840.10008.1.2.4.57', // JPEG Lossless (Process 14)
  '1.2.840.10008.1.2.4.70', // JPEG Lossless SV1
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless Only
  '1.2.840.10008.1.2.4.201', // HTJ2K Lossless Only
  '1.2.840.10008.1.2.4.202', // HTJ2K RPCL Lossless Only
  '1.2.840.10008.1.2.5', // RLE Lossless
  '1.2.840.10008.1.2.8.1', // Deflated Image Frame Compression
]);
/** Syntaxes that keep a BINARY frame's pixels packed 8 to a byte; the image codecs carry one pixel per byte (0 or 1). */
const PACKED_BINARY_SYNTAXES = new Set(['1.2.840.10008.1.2.1.98', '1.2.840.10008.1.2.8.1']);
const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
const PIXEL_DATA = 'x7fe00010';

// Attribute tags for dimension pointers (AT values).
const REFERENCED_SEGMENT_NUMBER = 0x0062000b;
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000a;
const IMAGE_POSITION_PATIENT = 0x00200032;
const PLANE_POSITION_SEQUENCE = 0x00209113;
const IN_STACK_POSITION_NUMBER = 0x00209057;
const FRAME_CONTENT_SEQUENCE = 0x00209111;

type Item = Record<string, unknown>;
const code = (value: string, scheme: string, meaning: string): Item => ({
  // Code Value holds at most 16 characters (SH); longer codes go in Long Code Value (PS3.3 8.8).
  ...(value.length > 16 ? { LongCodeValue: value } : { CodeValue: value }),
  CodingSchemeDesignator: scheme,
  CodeMeaning: clip(meaning, 64),
});
const SOURCE_IMAGE_PURPOSE = code('121322', 'DCM', 'Source image for image processing operation');
const SEGMENTATION_DERIVATION = code('113076', 'DCM', 'Segmentation');
// CID 7150: a coded class is most often anatomy or a lesion in it; an uncoded one says nothing more
// than "tissue", the generic category and type 3D Slicer also gives unnamed segments (CID 7166).
const ANATOMICAL_STRUCTURE = code('123037004', 'SCT', 'Anatomical Structure');
const TISSUE = code('85756007', 'SCT', 'Tissue');

/**
 * A DICOM SEG (Part-10, explicit VR little endian) of `labelmap` (and its overlap layers) over
 * `source`. Only segments with voxels are described, numbered 1..n in order of value; a frame is
 * written per (segment, slice) that holds the segment, from the layer the segment is on. Throws
 * DicomSegError when no segment has voxels or a voxel value is not a segment.
 */
export function exportDicomSeg(opts: {
  labelmap: Uint8Array;
  /** Layers 1, 2, … of the series (lib/annotations/labelmap-layers.client.ts): segments overlapping the labelmap. */
  overlapLayers?: readonly Uint8Array[];
  source: SegSource;
  segments: readonly SegSegment[];
  seriesNumber?: number;
  seriesDescription?: string;
  /** Who drew it: a pseudonym, never a name. */
  contentCreator?: string;
  now?: Date;
}): Uint8Array {
  const { source } = opts;
  const layers = [opts.labelmap, ...(opts.overlapLayers ?? [])];
  const frameSize = source.columns * source.rows;
  const slices = source.images.length;
  for (const labelmap of layers) {
    if (labelmap.length !== frameSize * slices) {
      throw new RangeError(`The labelmap has ${labelmap.length} voxels; ${source.columns}×${source.rows}×${slices} slices need ${frameSize * slices}.`);
    }
  }
  // Per segment value, the layer holding it and its slices there.
  const layerOf = new Map<number, number>();
  const present = new Map<number, number[]>();
  layers.forEach((labelmap, layer) => {
    for (const [value, on] of slicesPerValue(labelmap, frameSize, slices)) {
      if (layerOf.has(value)) throw new RangeError(`Segment ${value} is on layers ${layerOf.get(value)} and ${layer}; a segment is on one layer.`);
      layerOf.set(value, layer);
      present.set(value, on);
    }
  });
  const byValue = new Map(opts.segments.map((s) => [s.value, s]));
  const unknown = [...present.keys()].filter((v) => !byValue.has(v));
  if (unknown.length) throw new DicomSegError(`Voxel value(s) ${unknown.join(', ')} are not segments of the label schema.`);
  const used = [...present.keys()].sort((a, b) => a - b).map((v) => byValue.get(v)!);
  if (!used.length) throw new DicomSegError('Nothing to export: the labelmap has no voxels of any segment.');
  const references = sourceImageReferences(source);

  const frames = used.flatMap((segment, i) => present.get(segment.value)!.map((slice) => ({ segmentNumber: i + 1, value: segment.value, layer: layerOf.get(segment.value)!, slice })));
  const now = opts.now ?? new Date();
  const [date, time] = [dicomDate(now), dicomTime(now)];
  const { study } = source;
  const spatial = source.frameOfReferenceUid !== null;
  const positioned = spatial && source.images.every((image) => image.position);
  const dimensionOrganizationUid = newUid();
  const sopInstanceUid = newUid();
  const dataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'PRIMARY'],
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: standardDate(study.studyDate ?? ''),
    SeriesDate: date,
    ContentDate: date,
    StudyTime: standardTime(study.studyTime ?? ''),
    SeriesTime: time,
    ContentTime: time,
    AccessionNumber: study.accessionNumber ?? '',
    Modality: 'SEG',
    Manufacturer: 'Cohort',
    ReferringPhysicianName: study.referringPhysicianName ?? '',
    SeriesDescription: clip(opts.seriesDescription ?? 'Segmentation', 64),
    ManufacturerModelName: 'Cohort',
    ReferencedSeriesSequence: [{ SeriesInstanceUID: source.seriesInstanceUid, ReferencedInstanceSequence: referencedInstances(source) }],
    PatientName: study.patientName ?? '',
    PatientID: study.patientId ?? '',
    PatientBirthDate: standardDate(study.patientBirthDate ?? ''),
    PatientSex: study.patientSex ?? '',
    // Type 1 in Enhanced General Equipment; software has no serial number.
    DeviceSerialNumber: '0',
    SoftwareVersions: APP_VERSION,
    StudyInstanceUID: study.studyInstanceUid,
    SeriesInstanceUID: newUid(),
    StudyID: study.studyId ?? '',
    SeriesNumber: opts.seriesNumber ?? 300,
    InstanceNumber: 1,
    ...(spatial ? { FrameOfReferenceUID: source.frameOfReferenceUid, PositionReferenceIndicator: '' } : {}),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: dimensionIndex(dimensionOrganizationUid, positioned),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: frames.length,
    Rows: source.rows,
    Columns: source.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentSequence: used.map((segment, i) => segmentItem(segment, i + 1)),
    // One labelmap holds one value per voxel; its overlap layers say where segments share voxels.
    SegmentsOverlap: layersOverlap(layers) ? 'YES' : 'NO',
    ContentLabel: 'SEGMENTATION',
    ContentDescription: clip(opts.seriesDescription ?? '', 64),
    ContentCreatorName: (opts.contentCreator ?? '').replaceAll('\\', ' '),
    SharedFunctionalGroupsSequence: [sharedGroups(source, spatial)],
    PerFrameFunctionalGroupsSequence: frames.map((f) => perFrameGroups(f.segmentNumber, f.slice, references[f.slice]!, spatial ? source.images[f.slice]!.position : null, positioned)),
    PixelData: packFrames(layers, frameSize, frames).buffer,
    _vrMap: { PixelData: 'OB' },
  };
  return writePart10(dataset);
}

/**
 * Reads a SEG onto `source`: its frames are placed on slices by the source image they name (Derivation
 * Image Sequence), else by their position, and its segments become schema values by code, then by
 * label. Voxels of segments the schema lacks are left out, with a warning; segments that overlap others
 * go on overlap layers, whole. Throws DicomSegError for anything that does not fit the series.
 */
export async function importDicomSeg(bytes: Uint8Array, source: SegSource, segments: readonly SegSegment[]): Promise<SegImport> {
  const { meta, dataset, pixelDataOffset } = readDataset(bytes);
  checkIsSegmentation(dataset);
  const transferSyntaxUid = str(meta.TransferSyntaxUID);
  const encapsulated = checkTransferSyntax(transferSyntaxUid);
  const layout = pixelLayout(dataset);
  const frames = frameDescriptions(dataset, layout);
  const slices = placeFrames(frames, dataset, source);
  if (layout.rows !== source.rows || layout.columns !== source.columns) {
    throw new DicomSegError(`Its frames are ${layout.columns}×${layout.rows} pixels; the series' images are ${source.columns}×${source.rows}.`);
  }
  const mapping = describedSegments(dataset).map((s) => ({ segmentNumber: s.number, label: s.label, value: schemaValueOf(s, segments) }));
  const pixels = encapsulated ? await decodedSamples(bytes, pixelDataOffset, transferSyntaxUid, layout) : nativeSamples(dataset, layout, frames.length);
  const { layers, dropped } = paintFrames(frames, slices, pixels, mapping, source);
  const warnings: string[] = [];
  if (dropped.size) {
    const list = mapping.filter((m) => dropped.has(m.segmentNumber)).map((m) => `${m.segmentNumber} "${m.label}"`);
    warnings.push(`Segment(s) ${list.join(', ')} match no segment of the label schema (by code or name): their voxels were left out.`);
  }
  const [labelmap, ...overlapLayers] = layers;
  return { labelmap: labelmap!, overlapLayers, mapping, warnings };
}

// ---- Export helpers ----------------------------------------------------------------------------

/** Whether a voxel is labeled on two layers or more: overlap layers may also hold segments that touch nothing. */
function layersOverlap(layers: readonly Uint8Array[]): boolean {
  if (layers.length < 2) return false;
  const labeled = new Uint8Array(layers[0]!.length);
  for (const layer of layers) {
    for (let i = 0; i < layer.length; i++) {
      if (!layer[i]) continue;
      if (labeled[i]) return true;
      labeled[i] = 1;
    }
  }
  return false;
}

/**
 * Frames of 1-bit pixels, packed as PS3.5 8.1.1 says: the first pixel in the least significant bit
 * of the first byte; frames follow each other without padding (a frame may start mid-byte), and the
 * whole is padded to an even length.
 */
function packFrames(layers: readonly Uint8Array[], frameSize: number, frames: readonly { value: number; layer: number; slice: number }[]): Uint8Array<ArrayBuffer> {
  const bytes = Math.ceil((frames.length * frameSize) / 8);
  const out = new Uint8Array(bytes + (bytes & 1));
  frames.forEach(({ value, layer, slice }, i) => {
    const labelmap = layers[layer]!;
    const base = slice * frameSize;
    // A byte and bit cursor rather than one bit index: that can pass 2^31 in a large SEG.
    let byte = Math.floor((i * frameSize) / 8);
    let bit = (i * frameSize) % 8;
    for (let p = 0; p < frameSize; p++) {
      if (labelmap[base + p] === value) out[byte]! |= 1 << bit;
      if (++bit === 8) [byte, bit] = [byte + 1, 0];
    }
  });
  return out;
}

function referencedInstances(source: SegSource): Item[] {
  const seen = new Map<string, string>();
  for (const image of source.images) seen.set(image.sopInstanceUid, image.sopClassUid);
  return [...seen].map(([sop, sopClass]) => ({ ReferencedSOPClassUID: sopClass, ReferencedSOPInstanceUID: sop }));
}

/** Frames are indexed by segment, then by slice: by position along the stack when every slice has one. */
function dimensionIndex(organization: string, positioned: boolean): Item[] {
  const index = (pointer: number, group: number, label: string) => ({
    DimensionOrganizationUID: organization,
    DimensionIndexPointer: pointer,
    FunctionalGroupPointer: group,
    DimensionDescriptionLabel: label,
  });
  return [
    index(REFERENCED_SEGMENT_NUMBER, SEGMENT_IDENTIFICATION_SEQUENCE, 'Segment Number'),
    positioned ? index(IMAGE_POSITION_PATIENT, PLANE_POSITION_SEQUENCE, 'Image Position Patient') : index(IN_STACK_POSITION_NUMBER, FRAME_CONTENT_SEQUENCE, 'In-Stack Position Number'),
  ];
}

function segmentItem(segment: SegSegment, number: number): Item {
  return {
    SegmentNumber: number,
    SegmentLabel: clip(segment.name, 64),
    SegmentAlgorithmType: 'MANUAL',
    SegmentedPropertyCategoryCodeSequence: [segment.code ? ANATOMICAL_STRUCTURE : TISSUE],
    SegmentedPropertyTypeCodeSequence: [segment.code ? code(segment.code.value, segment.code.scheme, segment.code.meaning) : TISSUE],
    ...(segment.color ? { RecommendedDisplayCIELabValue: dicomLabOf(segment.color) } : {}),
  };
}

function sharedGroups(source: SegSource, spatial: boolean): Item {
  const measures = {
    ...(source.pixelSpacing ? { PixelSpacing: source.pixelSpacing.map(decimal) } : {}),
    ...(source.sliceThickness !== null ? { SliceThickness: decimal(source.sliceThickness) } : {}),
  };
  return {
    ...(Object.keys(measures).length ? { PixelMeasuresSequence: [measures] } : {}),
    ...(spatial && source.orientation ? { PlaneOrientationSequence: [{ ImageOrientationPatient: source.orientation.map(decimal) }] } : {}),
  };
}

/** Each slice's Source Image Sequence item: its SOP Instance, and its frame when the source is multi-frame. */
function sourceImageReferences(source: SegSource): Item[] {
  const slicesPerInstance = new Map<string, number>();
  for (const image of source.images) slicesPerInstance.set(image.sopInstanceUid, (slicesPerInstance.get(image.sopInstanceUid) ?? 0) + 1);
  return source.images.map((image) => ({
    ReferencedSOPClassUID: image.sopClassUid,
    ReferencedSOPInstanceUID: image.sopInstanceUid,
    ...(image.frame > 1 || slicesPerInstance.get(image.sopInstanceUid)! > 1 ? { ReferencedFrameNumber: image.frame } : {}),
    PurposeOfReferenceCodeSequence: [SOURCE_IMAGE_PURPOSE],
    SpatialLocationsPreserved: 'YES',
  }));
}

function perFrameGroups(segmentNumber: number, slice: number, sourceImage: Item, position: number[] | null, positioned: boolean): Item {
  return {
    DerivationImageSequence: [{ SourceImageSequence: [sourceImage], DerivationCodeSequence: [SEGMENTATION_DERIVATION] }],
    FrameContentSequence: [{ DimensionIndexValues: [segmentNumber, slice + 1], ...(positioned ? {} : { StackID: '1', InStackPositionNumber: slice + 1 }) }],
    ...(position ? { PlanePositionSequence: [{ ImagePositionPatient: position.map(decimal) }] } : {}),
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segmentNumber }],
  };
}

// ---- Colour ------------------------------------------------------------------------------------

/** CIELab (D65 white, as dcmjs, dcmqi and highdicom use) of an sRGB colour '#rrggbb'. */
export function cieLabOf(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`"${hex}" is not a #rrggbb colour.`);
  const [r, g, b] = match.slice(1).map((h) => srgbToLinear(Number.parseInt(h, 16) / 255)) as [number, number, number];
  // IEC 61966-2-1 sRGB → XYZ, normalised by the D65 white point.
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const [fx, fy, fz] = [x, y, z].map(labF) as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * A colour as DICOM stores CIELab (PS3.3 C.10.7.1.1): three 16-bit values, L* 0..100 and a*, b*
 * −128..127 scaled linearly onto 0..65535.
 */
export function dicomLabOf(hex: string): [number, number, number] {
  const [l, a, b] = cieLabOf(hex);
  const scale = (v: number, min: number, max: number) => Math.min(65535, Math.max(0, Math.round(((v - min) * 65535) / (max - min))));
  return [scale(l, 0, 100), scale(a, -128, 127), scale(b, -128, 127)];
}

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  const delta = 6 / 29;
  return t > delta ** 3 ? Math.cbrt(t) : t / (3 * delta * delta) + 4 / 29;
}

// ---- Import helpers ----------------------------------------------------------------------------

type SegmentationType = 'BINARY' | 'FRACTIONAL' | 'LABELMAP';
type PixelLayout = { type: SegmentationType; rows: number; columns: number; bitsAllocated: number; frames: number; maxFractional: number };
/** A frame as its functional groups describe it; segmentNumber is null in a LABELMAP (the pixels are segment numbers). */
type FrameDescription = { segmentNumber: number | null; refs: { sop: string; frames: number[] }[]; position: number[] | null };

/**
 * The file's meta information and data set, naturalized by dcmjs once dicom-parser found it whole,
 * and where its Pixel Data's value starts (for encapsulated frames).
 */
function readDataset(bytes: Uint8Array): { meta: Item; dataset: Item; pixelDataOffset: number | null } {
  const pixelDataOffset = checkComplete(bytes);
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  try {
    // Tolerant: dcmjs would otherwise refuse, say, an ISO 2022 character set it cannot decode.
    const dict = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { ignoreErrors: true });
    return { meta: DicomMetaDictionary.naturalizeDataset(dict.meta), dataset: DicomMetaDictionary.naturalizeDataset(dict.dict), pixelDataOffset };
  } catch (err) {
    throw unreadable(err);
  }
}

/** dcmjs reads past the end of a truncated file without noticing: dicom-parser's offsets tell. Gives Pixel Data's offset. */
function checkComplete(bytes: Uint8Array): number | null {
  let pixels: { dataOffset: number; length: number } | undefined;
  let size = bytes.length;
  try {
    const dataSet = dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA });
    pixels = dataSet.elements[PIXEL_DATA];
    // Deflated files are inflated whole: offsets are in the inflated bytes.
    size = dataSet.byteArray.length;
  } catch (err) {
    throw unreadable(err);
  }
  if (pixels && pixels.length !== 0xffffffff && pixels.dataOffset + pixels.length > size) {
    throw new DicomSegError(`It is truncated: its Pixel Data declares ${pixels.length} bytes but only ${Math.max(0, size - pixels.dataOffset)} follow.`);
  }
  return pixels?.dataOffset ?? null;
}

function unreadable(err: unknown): DicomSegError {
  // dicom-parser throws strings or { exception } objects, dcmjs Errors.
  const raw = typeof err === 'string' ? err : err instanceof Error ? err.message : String((err as { exception?: unknown })?.exception ?? err);
  return new DicomSegError(`It cannot be read as a DICOM file: it is malformed or truncated (${raw.replace(/^dicomParser[.:]\w+: /, '')}).`);
}

function checkIsSegmentation(dataset: Item): void {
  const sopClass = str(dataset.SOPClassUID);
  const modality = str(dataset.Modality);
  if ((sopClass !== SEGMENTATION_STORAGE && sopClass !== LABEL_MAP_SEGMENTATION_STORAGE) || modality !== 'SEG') {
    throw new DicomSegError(`It is not a DICOM Segmentation: its SOP Class is ${sopClass || 'missing'} and its modality ${modality || 'missing'} (a SEG has ${SEGMENTATION_STORAGE} and SEG).`);
  }
}

/** Whether the frames are encapsulated (to decode one by one); throws for a syntax they cannot be read from exactly. */
function checkTransferSyntax(uid: string): boolean {
  if (NATIVE_SYNTAXES.has(uid)) return false;
  if (LOSSLESS_ENCAPSULATED_SYNTAXES.has(uid)) return true;
  const syntax = transferSyntaxOf(uid);
  const why = syntax?.encapsulated ? 'a lossy or unsupported compression, which would change which pixels belong to a segment' : 'a byte order or syntax SEG import does not read';
  throw new DicomSegError(
    `Its frames are stored as ${syntax?.name ?? 'an unknown transfer syntax'} (${uid}), ${why}: SEGs can be imported in little endian, uncompressed or losslessly compressed (RLE, deflated frames, JPEG lossless, JPEG-LS, JPEG 2000 or HTJ2K lossless); convert it to explicit VR little endian first.`,
  );
}

function pixelLayout(dataset: Item): PixelLayout {
  const type = str(dataset.SegmentationType) as SegmentationType;
  const bitsAllocated = num(dataset.BitsAllocated) ?? 0;
  const expected = { BINARY: [1], FRACTIONAL: [8], LABELMAP: [8, 16] }[type];
  if (!expected) throw new DicomSegError(`Its Segmentation Type is "${str(dataset.SegmentationType)}", not BINARY, FRACTIONAL or LABELMAP.`);
  if (!expected.includes(bitsAllocated)) throw new DicomSegError(`A ${type} SEG has ${expected.join(' or ')} bits per pixel, this one ${bitsAllocated}.`);
  if (num(dataset.SamplesPerPixel) !== 1) throw new DicomSegError('Its pixels have more than one sample.');
  return {
    type,
    rows: num(dataset.Rows) ?? 0,
    columns: num(dataset.Columns) ?? 0,
    bitsAllocated,
    frames: num(dataset.NumberOfFrames) ?? 1,
    maxFractional: num(dataset.MaximumFractionalValue) ?? 255,
  };
}

function frameDescriptions(dataset: Item, layout: PixelLayout): FrameDescription[] {
  if (str(dataset.DimensionOrganizationType) === 'TILED_FULL') {
    throw new DicomSegError('Its frames are TILED_FULL tiles of a slide, described without per-frame functional groups: only SEGs of a series of slices can be imported.');
  }
  const perFrame = items(dataset.PerFrameFunctionalGroupsSequence);
  if (layout.frames < 1) throw new DicomSegError('It has no frames.');
  if (perFrame.length !== layout.frames) {
    throw new DicomSegError(`It has ${layout.frames} frames but ${perFrame.length} per-frame functional groups, so its frames cannot be placed.`);
  }
  const shared = items(dataset.SharedFunctionalGroupsSequence)[0] ?? {};
  // A functional group is per frame, or shared by all.
  const groupOf = (frame: Item, name: string): Item | undefined => items(frame[name])[0] ?? items(shared[name])[0];
  return perFrame.map((frame, i) => {
    const segmentNumber = layout.type === 'LABELMAP' ? null : num(groupOf(frame, 'SegmentIdentificationSequence')?.ReferencedSegmentNumber);
    if (layout.type !== 'LABELMAP' && segmentNumber === null) throw new DicomSegError(`Frame ${i + 1} does not say which segment it holds (Segment Identification Sequence).`);
    const refs = items(frame.DerivationImageSequence)
      .flatMap((d) => items(d.SourceImageSequence))
      .map((s) => ({ sop: str(s.ReferencedSOPInstanceUID), frames: nums(s.ReferencedFrameNumber) }))
      .filter((r) => r.sop);
    const position = nums(groupOf(frame, 'PlanePositionSequence')?.ImagePositionPatient);
    return { segmentNumber, refs, position: position.length === 3 ? position : null };
  });
}

/**
 * The slice of each frame: the one its source image reference names, else the one at its position
 * (within half the slice spacing). A frame naming only images outside the series is refused: the SEG
 * was made on another series.
 */
function placeFrames(frames: FrameDescription[], dataset: Item, source: SegSource): number[] {
  const slicesOf = new Map<string, Map<number, number>>();
  source.images.forEach((image, slice) => {
    const frames = slicesOf.get(image.sopInstanceUid) ?? new Map<number, number>();
    frames.set(image.frame, slice);
    slicesOf.set(image.sopInstanceUid, frames);
  });
  let checkedGeometry = false;
  return frames.map((frame, i) => {
    const slice = sliceOfReferences(frame, i, slicesOf, dataset, source);
    if (slice !== null) return slice;
    if (!frame.position) throw new DicomSegError(`Frame ${i + 1} cannot be placed: it names no image of the series and has no position.`);
    if (!checkedGeometry) checkSameGeometry(dataset, source);
    checkedGeometry = true;
    const nearest = sliceAt(frame.position, source);
    if (nearest === null) throw new DicomSegError(`Frame ${i + 1} at (${frame.position.map((v) => v.toFixed(2)).join(', ')}) mm lies on no slice of the series.`);
    return nearest;
  });
}

/** The slice a frame's source references name, null when they name none (or several) unambiguously. */
function sliceOfReferences(frame: FrameDescription, index: number, slicesOf: Map<string, Map<number, number>>, dataset: Item, source: SegSource): number | null {
  if (!frame.refs.length) return null;
  const known = frame.refs.filter((r) => slicesOf.has(r.sop));
  if (!known.length) {
    const series = items(dataset.ReferencedSeriesSequence).map((s) => str(s.SeriesInstanceUID)).filter((uid) => uid && uid !== source.seriesInstanceUid);
    const made = series.length ? ` It was made on series ${series.join(', ')}, not ${source.seriesInstanceUid}.` : '';
    throw new DicomSegError(`Frame ${index + 1} references image ${frame.refs[0]!.sop}, which is not in this series.${made}`);
  }
  const candidates = new Set<number>();
  for (const ref of known) {
    const frames = slicesOf.get(ref.sop)!;
    if (ref.frames.length > 1) return null;
    const [wanted] = ref.frames;
    // No frame number: the whole (single-frame) image.
    const slice = wanted === undefined ? (frames.size === 1 ? [...frames.values()][0] : undefined) : frames.get(wanted);
    if (wanted !== undefined && slice === undefined) throw new DicomSegError(`Frame ${index + 1} references frame ${wanted} of image ${ref.sop}, which is not in this series.`);
    if (slice === undefined) return null;
    candidates.add(slice);
  }
  return candidates.size === 1 ? [...candidates][0]! : null;
}

/** Positions only compare within one frame of reference and one orientation. */
function checkSameGeometry(dataset: Item, source: SegSource): void {
  const frameOfReference = str(dataset.FrameOfReferenceUID);
  if (frameOfReference && source.frameOfReferenceUid && frameOfReference !== source.frameOfReferenceUid) {
    throw new DicomSegError(`Its frames are placed in frame of reference ${frameOfReference}, the series in ${source.frameOfReferenceUid}.`);
  }
  const shared = items(dataset.SharedFunctionalGroupsSequence)[0] ?? {};
  const orientation = nums(items(shared.PlaneOrientationSequence)[0]?.ImageOrientationPatient);
  if (orientation.length === 6 && source.orientation?.length === 6 && orientation.some((v, i) => Math.abs(v - source.orientation![i]!) > 1e-3)) {
    throw new DicomSegError(`Its frames are oriented ${orientation.join('\\')}, the series' images ${source.orientation.join('\\')}.`);
  }
}

/** The slice whose position is nearest to `position`, if within half the (smallest) slice spacing. */
function sliceAt(position: number[], source: SegSource): number | null {
  const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
  const positions = source.images.map((image) => image.position);
  let spacing = Infinity;
  for (let i = 1; i < positions.length; i++) {
    const [a, b] = [positions[i - 1], positions[i]];
    if (a && b && distance(a, b) > 1e-6) spacing = Math.min(spacing, distance(a, b));
  }
  if (!Number.isFinite(spacing)) spacing = source.sliceThickness ?? 1;
  let best: number | null = null;
  let bestDistance = spacing / 2;
  positions.forEach((p, slice) => {
    const d = p ? distance(p, position) : Infinity;
    if (d <= bestDistance) [best, bestDistance] = [slice, d];
  });
  return best;
}

/** Sample `i` of the frames: a bit (0 or 1), a fractional value thresholded at half, or a segment number. */
type Samples = { sample(i: number): number };

/** Samples of native Pixel Data: the frames' values back to back (1-bit frames packed without padding between them). */
function nativeSamples(dataset: Item, layout: PixelLayout, frames: number): Samples {
  const chunks = values(dataset.PixelData).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  if (!bytes.length) throw new DicomSegError('It has no Pixel Data.');
  chunks.reduce((offset, c) => (bytes.set(new Uint8Array(c), offset), offset + c.byteLength), 0);
  const samples = frames * layout.rows * layout.columns;
  const needed = Math.ceil((samples * layout.bitsAllocated) / 8);
  if (bytes.length < needed) throw new DicomSegError(`Its Pixel Data is truncated: ${bytes.length} bytes where ${frames} frames need ${needed}.`);
  const max = layout.maxFractional;
  if (layout.type === 'BINARY') return { sample: (i) => (bytes[Math.floor(i / 8)]! >> i % 8) & 1 };
  if (layout.type === 'FRACTIONAL') return { sample: (i) => (bytes[i]! > 0 && bytes[i]! * 2 >= max ? 1 : 0) };
  if (layout.bitsAllocated === 8) return { sample: (i) => bytes[i]! };
  return { sample: (i) => bytes[2 * i]! | (bytes[2 * i + 1]! << 8) };
}

/**
 * Samples of encapsulated Pixel Data, each frame decoded on its own (lib/dicom/codecs). A BINARY
 * frame comes packed (deflated frames, encapsulated uncompressed; RLE may be either, CP 2301) or
 * as one byte of 0 or 1 per pixel (the image codecs, which have no 1-bit samples).
 */
async function decodedSamples(bytes: Uint8Array, pixelDataOffset: number | null, transferSyntaxUid: string, layout: PixelLayout): Promise<Samples> {
  if (pixelDataOffset === null) throw new DicomSegError('It has no Pixel Data.');
  const numbers = Array.from({ length: layout.frames }, (_, i) => i + 1);
  let encoded: Buffer[];
  try {
    encoded = await encapsulatedFrames(bufferReader(bytes), { pixelDataOffset, frames: layout.frames }, numbers);
  } catch (err) {
    throw new DicomSegError(`Its encapsulated Pixel Data cannot be split into its ${layout.frames} frames (${err instanceof Error ? err.message : String(err)}).`);
  }
  const frameSize = layout.rows * layout.columns;
  const header = (rows: number, columns: number, bitsAllocated: number) => ({ transferSyntaxUid, rows, columns, bitsAllocated, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0 });
  const decodeOne = async (frame: Buffer): Promise<Buffer> => {
    if (layout.type !== 'BINARY') return (await decodeFrame(frame, header(layout.rows, layout.columns, layout.bitsAllocated))).samples;
    if (PACKED_BINARY_SYNTAXES.has(transferSyntaxUid)) return (await decodeFrame(frame, header(layout.rows, layout.columns, 1))).samples;
    try {
      return packBits((await decodeFrame(frame, header(layout.rows, layout.columns, 8))).samples, frameSize);
    } catch (err) {
      // RLE of the packed bytes: one segment as long as the packed frame.
      if (transferSyntaxUid !== RLE_LOSSLESS) throw err;
      return (await decodeFrame(frame, header(1, Math.ceil(frameSize / 8), 8))).samples;
    }
  };
  // BINARY frames are kept packed: 1,000 frames of 512² take 33 MB so, 262 MB at a byte per pixel.
  const decoded: Buffer[] = [];
  for (const [f, frame] of encoded.entries()) {
    try {
      decoded.push(await decodeOne(frame));
    } catch (err) {
      throw new DicomSegError(`Frame ${f + 1} cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const max = layout.maxFractional;
  return {
    sample(i) {
      const f = Math.floor(i / frameSize);
      const p = i - f * frameSize;
      const samples = decoded[f]!;
      if (layout.type === 'BINARY') return (samples[p >> 3]! >> (p & 7)) & 1;
      if (layout.type === 'FRACTIONAL') return samples[p]! > 0 && samples[p]! * 2 >= max ? 1 : 0;
      return layout.bitsAllocated === 8 ? samples[p]! : samples[2 * p]! | (samples[2 * p + 1]! << 8);
    },
  };
}

/** One byte per pixel (non-zero: set) as PS3.5 8.1.1 packs 1-bit pixels: the first in the lowest bit of the first byte. */
function packBits(unpacked: Uint8Array, pixels: number): Buffer {
  const packed = Buffer.alloc(Math.ceil(pixels / 8));
  for (let p = 0; p < pixels; p++) if (unpacked[p]) packed[p >> 3]! |= 1 << (p & 7);
  return packed;
}

/**
 * The labelmap layers the frames paint: each sample that holds a segment becomes that segment's schema
 * value. Frames go in segment order; a segment that meets another on its layer moves, whole, to the
 * next layer where it meets none, so every segment is kept whole on one layer.
 */
function paintFrames(frames: FrameDescription[], slices: number[], pixels: Samples, mapping: SegImport['mapping'], source: SegSource) {
  const valueOf = new Map(mapping.map((m) => [m.segmentNumber, m.value]));
  const frameSize = source.columns * source.rows;
  const volume = frameSize * source.images.length;
  const layers = [new Uint8Array(volume)];
  const layerOf = new Map<number, number>();
  const dropped = new Set<number>();
  /** Moves segment `value` from layer `from` to the first later layer free where it is and at `voxel`. */
  const moveOn = (value: number, from: number, voxel: number): number => {
    const origin = layers[from]!;
    for (let to = from + 1; to < MAX_LABELMAP_LAYERS; to++) {
      const target = (layers[to] ??= new Uint8Array(volume));
      const fits = (i: number) => target[i] === 0 || target[i] === value;
      let free = fits(voxel);
      for (let i = 0; free && i < volume; i++) if (origin[i] === value && !fits(i)) free = false;
      if (!free) continue;
      for (let i = 0; i < volume; i++) {
        if (origin[i] !== value) continue;
        target[i] = value;
        origin[i] = 0;
      }
      layerOf.set(value, to);
      return to;
    }
    throw new DicomSegError(`Its segments overlap more than ${MAX_LABELMAP_LAYERS} deep; Cohort keeps up to ${MAX_LABELMAP_LAYERS} layers of overlapping segments.`);
  };
  const order = frames.map((_, i) => i).sort((a, b) => (frames[a]!.segmentNumber ?? 0) - (frames[b]!.segmentNumber ?? 0));
  const resolve = (number: number, f: number) => {
    const value = valueOf.get(number);
    if (value === undefined) throw new DicomSegError(`Frame ${f + 1} holds segment ${number}, which its Segment Sequence does not describe.`);
    return value;
  };
  for (const f of order) {
    const [base, first] = [slices[f]! * frameSize, f * frameSize];
    const segmentNumber = frames[f]!.segmentNumber;
    // A BINARY or FRACTIONAL frame holds one segment; a LABELMAP frame's samples are segment numbers.
    const frameValue = segmentNumber === null ? null : resolve(segmentNumber, f);
    for (let p = 0; p < frameSize; p++) {
      const sample = pixels.sample(first + p);
      if (sample === 0) continue;
      const number = segmentNumber ?? sample;
      const value = segmentNumber === null ? resolve(sample, f) : frameValue;
      if (value === null) {
        dropped.add(number);
        continue;
      }
      const voxel = base + p;
      let layer = layerOf.get(value) ?? 0;
      const before = layers[layer]![voxel]!;
      if (before !== 0 && before !== value) layer = moveOn(value, layer, voxel);
      layerOf.set(value, layer);
      layers[layer]![voxel] = value;
    }
  }
  return { layers, dropped };
}

type DescribedSegment = { number: number; label: string; type: SegCode | null };

function describedSegments(dataset: Item): DescribedSegment[] {
  return items(dataset.SegmentSequence).map((s) => {
    const type = items(s.SegmentedPropertyTypeCodeSequence)[0];
    const value = type ? str(type.CodeValue) || str(type.LongCodeValue) || str(type.URNCodeValue) : '';
    return {
      number: num(s.SegmentNumber) ?? 0,
      label: str(s.SegmentLabel),
      type: type && value ? { scheme: str(type.CodingSchemeDesignator), value, meaning: str(type.CodeMeaning) } : null,
    };
  });
}

/** The schema value a SEG segment is read into: same coded type, else same name (case-insensitive). */
function schemaValueOf(segment: DescribedSegment, schema: readonly SegSegment[]): number | null {
  return matchingSegment({ name: segment.label, code: segment.type }, schema)?.value ?? null;
}

// ---- Values ------------------------------------------------------------------------------------

// dcmjs's naturalized data sets: one value bare, several in an array; sequences as arrays of items.
const values = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const items = (v: unknown): Item[] => values(v).filter((x): x is Item => typeof x === 'object' && x !== null && !(x instanceof ArrayBuffer));
const str = (v: unknown): string => String(values(v)[0] ?? '').trim();
const nums = (v: unknown): number[] => values(v).filter((x) => x !== null && x !== '').map(Number).filter(Number.isFinite);
const num = (v: unknown): number | null => nums(v)[0] ?? null;

/** A decimal string value: 10 significant digits keep it within DS's 16 characters. */
const decimal = (v: number) => Number(v.toPrecision(10));
/** Text for LO/SH-like values: no backslash (the value delimiter), at most `max` characters. */
function clip(text: string, max: number): string {
  return text.replaceAll('\\', '/').slice(0, max);
}
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** DICOM dates and times are local to where the object was made. */
const dicomDate = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
const dicomTime = (d: Date) => `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
