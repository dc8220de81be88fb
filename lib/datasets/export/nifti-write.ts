import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { labelmapValues } from '@/lib/annotations/labelmap-values';
import type { SeriesVolume, Vec3, VolumeGeometry } from './series-volume';

/**
 * NIfTI-1 single files (.nii.gz) written by hand: no maintained JavaScript library writes NIfTI. A
 * 348-byte header, the 4-byte extension flag (no extensions), then the voxels at byte 352, little
 * endian, all gzip-compressed (deterministic: zlib writes no timestamp). Both sform and qform are
 * set (code 1, scanner coordinates) from the DICOM geometry, in NIfTI's RAS+ world:
 *
 *   A = diag(−1, −1, 1) · [X·Δcol | Y·Δrow | S | IPP_first]
 *
 * with X, Y the row and column directions of Image Orientation (Patient) (DICOM's LPS+), Δcol and
 * Δrow the Pixel Spacing between columns and between rows, S the step from one slice to the next.
 * Voxel (i, j, k) is column i, row j of slice k: the memory order of DICOM frames and of labelmaps,
 * so nothing is transposed or flipped. See docs/dataset-formats.md.
 */

export const NIFTI_HEADER_BYTES = 348;
/** Where voxels start: the header and the 4-byte extension flag. */
export const NIFTI_VOX_OFFSET = 352;
export const NIFTI_INTENT_LABEL = 1002;
/** NIFTI_XFORM_SCANNER_ANAT: coordinates are the scanner's (DICOM patient coordinates, as RAS). */
export const NIFTI_XFORM_SCANNER_ANAT = 1;
/** NIFTI_UNITS_MM (space); time unused. */
const NIFTI_UNITS_MM = 2;

export const NIFTI_DATATYPES = {
  uint8: { code: 2, bitpix: 8 },
  int16: { code: 4, bitpix: 16 },
  float32: { code: 16, bitpix: 32 },
  uint16: { code: 512, bitpix: 16 },
} as const;
export type NiftiDatatype = keyof typeof NIFTI_DATATYPES;
export type NiftiVoxels = Uint8Array | Int16Array | Uint16Array | Float32Array;

export type Mat4 = [number[], number[], number[], number[]];

/** The voxel-to-world (RAS+, mm) matrix of a volume: rows of srow_x, srow_y, srow_z, then [0 0 0 1]. */
export function niftiAffine(geometry: VolumeGeometry): Mat4 {
  const { orientation: o, pixelSpacing, sliceStep: s, firstPosition: p } = geometry;
  const [dRow, dCol] = pixelSpacing;
  const lps = [
    [o[0] * dCol, o[3] * dRow, s[0], p[0]],
    [o[1] * dCol, o[4] * dRow, s[1], p[1]],
    [o[2] * dCol, o[5] * dRow, s[2], p[2]],
  ];
  // LPS to RAS: x and y change sign.
  return [lps[0]!.map((v) => -v), lps[1]!.map((v) => -v), lps[2]!, [0, 0, 0, 1]];
}

/** The qform of a volume: a rotation as a unit quaternion (b, c, d; a ≥ 0 implied), qfac, voxel sizes and offset. */
export type Qform = { quatern: Vec3; qfac: 1 | -1; pixdim: Vec3; offset: Vec3 };

/**
 * The qform: the rotation part of the affine, made exactly orthonormal (X, Y Gram–Schmidt, the
 * slice axis their cross product), as a quaternion; a slice step against the normal gives qfac −1.
 * Equal to the sform whenever the slices stack along their normal (series-volume refuses others).
 */
export function niftiQform(geometry: VolumeGeometry): Qform {
  const o = geometry.orientation;
  const x = unit([o[0], o[1], o[2]]);
  const y0: Vec3 = [o[3], o[4], o[5]];
  const y = unit(sub(y0, scale(x, dot(y0, x))));
  const z = cross(x, y);
  const qfac = dot(geometry.sliceStep, z) < 0 ? -1 : 1;
  // RAS rotation [x y z] with x and y rows negated; z stays as is, qfac carries the handedness.
  const r = [
    [-x[0], -y[0], -z[0]],
    [-x[1], -y[1], -z[1]],
    [x[2], y[2], z[2]],
  ];
  const [dRow, dCol] = geometry.pixelSpacing;
  const p = geometry.firstPosition;
  return { quatern: rotationToQuaternion(r), qfac, pixdim: [dCol, dRow, geometry.sliceSpacing], offset: [-p[0], -p[1], p[2]] };
}

/**
 * A proper rotation matrix (rows) as the quaternion (b, c, d) with a ≥ 0, as nifti1_io's
 * nifti_mat44_to_quatern: from the largest of the trace and the diagonal, for numerical stability.
 */
export function rotationToQuaternion(r: number[][]): Vec3 {
  const m = (i: number, j: number) => r[i]![j]!;
  let a = m(0, 0) + m(1, 1) + m(2, 2) + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (m(2, 1) - m(1, 2))) / a;
    c = (0.25 * (m(0, 2) - m(2, 0))) / a;
    d = (0.25 * (m(1, 0) - m(0, 1))) / a;
  } else {
    const xd = 1 + m(0, 0) - (m(1, 1) + m(2, 2));
    const yd = 1 + m(1, 1) - (m(0, 0) + m(2, 2));
    const zd = 1 + m(2, 2) - (m(0, 0) + m(1, 1));
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (m(0, 1) + m(1, 0))) / b;
      d = (0.25 * (m(0, 2) + m(2, 0))) / b;
      a = (0.25 * (m(2, 1) - m(1, 2))) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (m(0, 1) + m(1, 0))) / c;
      d = (0.25 * (m(1, 2) + m(2, 1))) / c;
      a = (0.25 * (m(0, 2) - m(2, 0))) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (m(0, 2) + m(2, 0))) / d;
      c = (0.25 * (m(1, 2) + m(2, 1))) / d;
      a = (0.25 * (m(1, 0) - m(0, 1))) / d;
    }
  }
  // NIfTI stores b, c, d and takes a = sqrt(1 − b² − c² − d²) ≥ 0: flip the sign of the whole quaternion.
  return a < 0 ? [-b, -c, -d] : [b, c, d];
}

/**
 * b, c, d as float32 values that readers turn back into the intended rotation. Readers take
 * a = sqrt(1 − b² − c² − d²); near a 180° rotation (every axial-like RAS volume) a is about 0 and the
 * float32 rounding of b, c, d alone would make it ≈ 3e-4 (a 0.02° tilt, 0.1 mm at 40 cm). There the
 * vector is normalised and nudged so b² + c² + d² is just ≥ 1: nifti1_io (ITK, SimpleITK) and nibabel
 * then read a = 0 exactly.
 */
export function storableQuaternion(quatern: Vec3): Vec3 {
  const rounded = quatern.map(Math.fround) as Vec3;
  const sum = (q: Vec3) => q[0] * q[0] + q[1] * q[1] + q[2] * q[2];
  if (1 - sum(rounded) >= 1e-7) return rounded;
  const length = Math.sqrt(sum(quatern));
  const unitQ = quatern.map((v) => Math.fround(v / length)) as Vec3;
  const largest = unitQ.reduce((best, v, i) => (Math.abs(v) > Math.abs(unitQ[best]!) ? i : best), 0);
  for (let i = 0; i < 4 && sum(unitQ) < 1; i++) {
    // One float32 step away from zero: |v| grows by at most 1.2e-7.
    const v = unitQ[largest]!;
    unitQ[largest] = Math.fround(v + Math.sign(v) * Math.abs(v) * 2 ** -23);
  }
  return unitQ;
}

/** The rotation matrix (rows) of a NIfTI quaternion (b, c, d), a = sqrt(1 − b² − c² − d²): the reader's side. */
export function quaternionToRotation([b, c, d]: Vec3): number[][] {
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  return [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
}

export type NiftiHeaderOptions = {
  geometry: VolumeGeometry;
  datatype: NiftiDatatype;
  /** 'label': NIFTI_INTENT_LABEL, a segmentation whose values are classes. */
  intent?: 'label';
  /** Stored value × slope + intercept = real value; default 1 and 0 (the voxels are real values). */
  scale?: { slope: number; intercept: number };
  /** Default display range (cal_min, cal_max); 0, 0 leaves it to the viewer. */
  display?: [number, number];
  /** descrip: up to 79 ASCII characters. */
  description?: string;
};

/** The 348-byte NIfTI-1 header and the 4-byte extension flag (no extensions): 352 bytes, little endian. */
export function niftiHeader({ geometry, datatype, intent, scale: scl = { slope: 1, intercept: 0 }, display = [0, 0], description = '' }: NiftiHeaderOptions): Buffer {
  const out = Buffer.alloc(NIFTI_VOX_OFFSET);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const f32 = (offset: number, v: number) => view.setFloat32(offset, v, true);
  const i16 = (offset: number, v: number) => view.setInt16(offset, v, true);
  view.setInt32(0, NIFTI_HEADER_BYTES, true); // sizeof_hdr
  out.write('r', 38, 'latin1'); // regular
  const [nx, ny, nz] = geometry.dims;
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((v, i) => i16(40 + 2 * i, v)); // dim
  i16(68, intent === 'label' ? NIFTI_INTENT_LABEL : 0); // intent_code
  i16(70, NIFTI_DATATYPES[datatype].code); // datatype
  i16(72, NIFTI_DATATYPES[datatype].bitpix); // bitpix
  const q = niftiQform(geometry);
  [q.qfac, q.pixdim[0], q.pixdim[1], q.pixdim[2], 0, 0, 0, 0].forEach((v, i) => f32(76 + 4 * i, v)); // pixdim
  f32(108, NIFTI_VOX_OFFSET); // vox_offset
  f32(112, scl.slope); // scl_slope
  f32(116, scl.intercept); // scl_inter
  out[123] = NIFTI_UNITS_MM; // xyzt_units
  f32(124, display[1]); // cal_max
  f32(128, display[0]); // cal_min
  out.write(ascii(description, 79), 148, 'latin1'); // descrip[80], NUL-terminated
  i16(252, NIFTI_XFORM_SCANNER_ANAT); // qform_code
  i16(254, NIFTI_XFORM_SCANNER_ANAT); // sform_code
  storableQuaternion(q.quatern).forEach((v, i) => f32(256 + 4 * i, v)); // quatern_b, c, d
  q.offset.forEach((v, i) => f32(268 + 4 * i, v)); // qoffset_x, y, z
  const affine = niftiAffine(geometry);
  for (let row = 0; row < 3; row++) affine[row]!.forEach((v, i) => f32(280 + 16 * row + 4 * i, v)); // srow_x, y, z
  if (intent === 'label') out.write('labels', 328, 'latin1'); // intent_name[16]
  out.write('n+1\0', 344, 'latin1'); // magic
  // Bytes 348–351: extension flag 0, no extensions.
  return out;
}

/** A volume as a .nii.gz: its modality values (HU for CT) as they are, scl_slope 1. */
export async function niftiImage(volume: SeriesVolume): Promise<Buffer> {
  const { voxels, geometry, window } = volume;
  const datatype: NiftiDatatype = voxels instanceof Int16Array ? 'int16' : voxels instanceof Uint16Array ? 'uint16' : 'float32';
  const header = niftiHeader({
    geometry,
    datatype,
    display: window ? [window.center - window.width / 2, window.center + window.width / 2] : [0, 0],
    description: `Cohort ${volume.modality} ${datatype === 'float32' ? 'modality values' : 'modality values (integers)'}`,
  });
  return gzipParts([header, bytesOf(voxels)]);
}

/**
 * A labelmap (one byte per voxel, column fastest, then row, then slice: the rle1 labelmap order,
 * which is NIfTI's) as a uint8 .nii.gz with intent NIFTI_INTENT_LABEL, on the image's geometry.
 */
export async function niftiLabel(labelmap: Uint8Array, geometry: VolumeGeometry): Promise<Buffer> {
  const [nx, ny, nz] = geometry.dims;
  if (labelmap.length !== nx * ny * nz) throw new RangeError(`A ${nx}×${ny}×${nz} volume has ${nx * ny * nz} voxels, not ${labelmap.length}.`);
  const max = labelmapValues(labelmap).at(-1) ?? 0;
  const header = niftiHeader({ geometry, datatype: 'uint8', intent: 'label', display: [0, max], description: 'Cohort segmentation labels' });
  return gzipParts([header, labelmap]);
}

/** Voxel bytes in the file's (little-endian) order: typed arrays already are, on every platform Node runs on. */
function bytesOf(voxels: NiftiVoxels): Uint8Array {
  return new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength);
}

/**
 * Gzip off the main thread, streamed: a 512²×300 CT is 150 MiB before compression. Level 1: on CT
 * it is several times faster than the default 6 for a few percent more bytes, and compression was
 * the largest cost of publishing NIfTI. Output in 1 MiB chunks rather than 16 KiB ones: fewer
 * round trips to the thread pool.
 */
async function gzipParts(parts: Uint8Array[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(parts, { objectMode: false }), zlib.createGzip({ level: 1, chunkSize: 1024 * 1024 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

function ascii(text: string, max: number): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(a[0], a[1], a[2]));
