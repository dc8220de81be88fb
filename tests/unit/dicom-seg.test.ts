/**
 * DICOM SEG export and import: a labelmap survives export and re-import byte for byte, and the file
 * reads back with dicom-parser (decoded here, bit by bit) and dcmjs; real SEGs made by highdicom on
 * the pydicom CT2 series import onto it with the voxels this test decodes itself; SEGs that do not fit
 * the series are refused with the reason.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { cieLabOf, dicomLabOf, DicomSegError, exportDicomSeg, importDicomSeg, type SegSegment, type SegSource } from '@/lib/annotations/dicom-seg';
import { writePart10 } from '@/lib/dicom/write-part10';
import { sample, samplesUnder } from '../helpers/dicom-samples';
import { deflatedFile, encapsulatedFile, encodeLossless, naturalizedFile } from '../helpers/reencoded-files';

const CT2 = 'valid/pydicom/dicomdirtests/77654033/CT2';
const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

const text = (ds: DataSet, tag: string) => (ds.string(tag) ?? '').trim();
const decimals = (ds: DataSet, tag: string) => text(ds, tag).split('\\').map(Number);

/** The CT2 series as a SegSource: headers read with dicom-parser, slices sorted along the normal. */
function ct2Source(): SegSource {
  const headers = samplesUnder(CT2).map((file) => dicomParser.parseDicom(readFileSync(file), { untilTag: 'x7fe00010' }));
  const first = headers[0]!;
  const iop = decimals(first, 'x00200037');
  const normal = [iop[1]! * iop[5]! - iop[2]! * iop[4]!, iop[2]! * iop[3]! - iop[0]! * iop[5]!, iop[0]! * iop[4]! - iop[1]! * iop[3]!];
  const along = (ds: DataSet) => decimals(ds, 'x00200032').reduce((sum, v, i) => sum + v * normal[i]!, 0);
  const sorted = [...headers].sort((a, b) => along(a) - along(b));
  return {
    images: sorted.map((ds) => ({ sopClassUid: text(ds, 'x00080016'), sopInstanceUid: text(ds, 'x00080018'), frame: 1, position: decimals(ds, 'x00200032') as [number, number, number] })),
    columns: first.uint16('x00280011')!,
    rows: first.uint16('x00280010')!,
    orientation: iop,
    pixelSpacing: decimals(first, 'x00280030') as [number, number],
    sliceThickness: Number(text(first, 'x00180050')),
    frameOfReferenceUid: text(first, 'x00200052'),
    study: { studyInstanceUid: text(first, 'x0020000d'), patientName: text(first, 'x00100010'), patientId: text(first, 'x00100020'), studyDate: text(first, 'x00080020'), studyTime: text(first, 'x00080030'), accessionNumber: text(first, 'x00080050') },
    seriesInstanceUid: text(first, 'x0020000e'),
  };
}

const NODULE = { scheme: 'SCT', value: '27925004', meaning: 'Nodule' };
const SCHEMA: SegSegment[] = [
  { value: 1, name: 'Nodule', color: '#ff0000', code: NODULE },
  { value: 2, name: 'Lung', color: '#0ea5e9' },
  { value: 5, name: 'Absent', color: '#22c55e' },
];

/** 16×16×4: a nodule on slices 1–2, lung on slices 0 and 3 (and beside the nodule on slice 2). */
function handMadeLabelmap(source: SegSource): Uint8Array {
  const { columns, rows } = source;
  const labelmap = new Uint8Array(columns * rows * source.images.length);
  const paint = (slice: number, x0: number, y0: number, w: number, h: number, value: number) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) labelmap[slice * columns * rows + y * columns + x] = value;
  };
  paint(0, 2, 3, 5, 4, 2);
  paint(1, 6, 6, 3, 3, 1);
  paint(2, 5, 5, 4, 5, 1);
  paint(2, 11, 0, 5, 16, 2);
  paint(3, 0, 15, 16, 1, 2);
  return labelmap;
}

/** (segment, slice) pairs that hold voxels. */
function nonEmptyFrames(labelmap: Uint8Array, frameSize: number): number {
  const pairs = new Set<string>();
  labelmap.forEach((v, i) => v && pairs.add(`${v}:${Math.floor(i / frameSize)}`));
  return pairs.size;
}

/** Bit i of packed 1-bit pixel data: PS3.5 8.1.1 puts the first pixel in the lowest bit of the first byte. */
const bit = (bytes: Uint8Array, i: number) => (bytes[i >> 3]! >> (i & 7)) & 1;

/**
 * A SEG's frames as this test reads them with dicom-parser, independently of the library: each frame's
 * segment, the slice of the source image it names, and its samples.
 */
function decodeSegFrames(bytes: Uint8Array, source: SegSource) {
  const ds = dicomParser.parseDicom(bytes);
  const [rows, columns] = [ds.uint16('x00280010')!, ds.uint16('x00280011')!];
  const bits = ds.uint16('x00280100')!;
  const pixelData = ds.elements.x7fe00010!;
  const pixels = ds.byteArray.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
  const frameSize = rows * columns;
  const frames = ds.elements.x52009230!.items!.map((item, f) => {
    const derivation = item.dataSet!.elements.x00089124!.items![0]!.dataSet!;
    const sop = derivation.elements.x00082112!.items![0]!.dataSet!.string('x00081155');
    const segment = item.dataSet!.elements.x0062000a!.items![0]!.dataSet!.uint16('x0062000b')!;
    const samples = Array.from({ length: frameSize }, (_, p) => (bits === 1 ? bit(pixels, f * frameSize + p) : pixels[f * frameSize + p]!));
    return { segment, slice: source.images.findIndex((image) => image.sopInstanceUid === sop), samples };
  });
  return { ds, frames, pixelData };
}

const errorOf = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (err) {
    return err;
  }
  return null;
};

describe('DICOM SEG export', () => {
  const source = ct2Source();
  const labelmap = handMadeLabelmap(source);
  const now = new Date(2025, 2, 14, 9, 26, 53);
  const bytes = exportDicomSeg({ labelmap, source, segments: SCHEMA, seriesDescription: 'Nodules', contentCreator: 'reader-7f3a', now });
  const frameSize = source.columns * source.rows;

  it('writes a BINARY Segmentation that dicom-parser reads, one frame per non-empty (segment, slice), bits packed as PS3.5 says', () => {
    expect(source.images).toHaveLength(4);
    const { ds, frames, pixelData } = decodeSegFrames(bytes, source);
    expect(text(ds, 'x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(text(ds, 'x00080016')).toBe(SEGMENTATION_STORAGE);
    expect(text(ds, 'x00080060')).toBe('SEG');
    expect(text(ds, 'x00620001')).toBe('BINARY');
    expect([ds.uint16('x00280100'), ds.uint16('x00280101'), ds.uint16('x00280102'), ds.uint16('x00280002')]).toEqual([1, 1, 0, 1]);
    expect(text(ds, 'x00280004')).toBe('MONOCHROME2');
    const count = nonEmptyFrames(labelmap, frameSize);
    expect(count).toBe(5);
    expect(Number(text(ds, 'x00280008'))).toBe(count);
    expect(pixelData.length).toBe(count * frameSize / 8);
    // Segments are numbered in order of value: 1 Nodule, 2 Lung; the absent value 5 has none.
    const rebuilt = new Uint8Array(labelmap.length);
    for (const { segment, slice, samples } of frames) {
      expect(slice).toBeGreaterThanOrEqual(0);
      samples.forEach((s, p) => s && (rebuilt[slice * frameSize + p] = [0, 1, 2][segment]!));
      expect(samples.some(Boolean)).toBe(true);
    }
    expect(rebuilt).toEqual(labelmap);
  });

  it('describes the segments, the source series and the geometry as dcmjs reads them', () => {
    const seg = naturalizedFile(bytes);
    expect(seg).toMatchObject({
      ImageType: ['DERIVED', 'PRIMARY'],
      StudyInstanceUID: source.study.studyInstanceUid,
      PatientID: source.study.patientId,
      AccessionNumber: source.study.accessionNumber,
      FrameOfReferenceUID: source.frameOfReferenceUid,
      Manufacturer: 'Cohort',
      ManufacturerModelName: 'Cohort',
      ContentDate: '20250314',
      ContentTime: '092653',
      InstanceNumber: 1,
      SeriesDescription: 'Nodules',
      ContentCreatorName: [{ Alphabetic: 'reader-7f3a' }],
      SegmentationType: 'BINARY',
      NumberOfFrames: 5,
    });
    expect(seg.SeriesInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(seg.SeriesInstanceUID).not.toBe(source.seriesInstanceUid);
    expect(seg.SegmentSequence).toHaveLength(2);
    expect(seg.SegmentSequence[0]).toMatchObject({
      SegmentNumber: 1,
      SegmentLabel: 'Nodule',
      SegmentAlgorithmType: 'MANUAL',
      SegmentedPropertyCategoryCodeSequence: [{ CodeValue: '123037004', CodingSchemeDesignator: 'SCT' }],
      SegmentedPropertyTypeCodeSequence: [{ CodeValue: '27925004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Nodule' }],
      RecommendedDisplayCIELabValue: dicomLabOf('#ff0000'),
    });
    expect(seg.SegmentSequence[1]).toMatchObject({ SegmentNumber: 2, SegmentLabel: 'Lung', SegmentedPropertyTypeCodeSequence: [{ CodeValue: '85756007' }] });
    expect(seg.ReferencedSeriesSequence[0].SeriesInstanceUID).toBe(source.seriesInstanceUid);
    expect(seg.ReferencedSeriesSequence[0].ReferencedInstanceSequence).toHaveLength(4);
    expect(seg.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0]).toMatchObject({ PixelSpacing: source.pixelSpacing, SliceThickness: 1.25 });
    expect(seg.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence[0].ImageOrientationPatient).toEqual(source.orientation);
    expect(seg.DimensionIndexSequence.map((d: { DimensionIndexPointer: number }) => d.DimensionIndexPointer)).toEqual([0x0062000b, 0x00200032]);
    // The first frame: the nodule (segment 1) on slice 1.
    const frame = seg.PerFrameFunctionalGroupsSequence[0];
    expect(frame.FrameContentSequence[0].DimensionIndexValues).toEqual([1, 2]);
    expect(frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber).toBe(1);
    expect(frame.PlanePositionSequence[0].ImagePositionPatient).toEqual(source.images[1]!.position);
    expect(frame.DerivationImageSequence[0].SourceImageSequence[0]).toMatchObject({
      ReferencedSOPClassUID: source.images[1]!.sopClassUid,
      ReferencedSOPInstanceUID: source.images[1]!.sopInstanceUid,
      PurposeOfReferenceCodeSequence: [{ CodeValue: '121322', CodingSchemeDesignator: 'DCM' }],
    });
  });

  it('imports back to the same labelmap, matching segments by code and by name', async () => {
    expect(await importDicomSeg(bytes, source, SCHEMA)).toEqual({
      labelmap,
      overlapLayers: [],
      mapping: [
        { segmentNumber: 1, label: 'Nodule', value: 1 },
        { segmentNumber: 2, label: 'Lung', value: 2 },
      ],
      warnings: [],
    });
    // Another schema: the nodule renamed (its code matches), the lung renumbered (its name matches, in any case).
    const other: SegSegment[] = [
      { value: 9, name: 'Pulmonary nodule', code: NODULE },
      { value: 4, name: 'LUNG' },
    ];
    const imported = await importDicomSeg(bytes, source, other);
    expect(imported.mapping.map((m) => m.value)).toEqual([9, 4]);
    expect(imported.labelmap).toEqual(labelmap.map((v) => [0, 9, 4][v]!));
    // A schema without lungs: their voxels are left out, with a warning naming them.
    const noLung = await importDicomSeg(bytes, source, [SCHEMA[0]!]);
    expect(noLung.mapping[1]).toEqual({ segmentNumber: 2, label: 'Lung', value: null });
    expect(noLung.labelmap).toEqual(labelmap.map((v) => (v === 1 ? 1 : 0)));
    expect(noLung.warnings).toEqual([expect.stringContaining('2 "Lung"')]);
  });

  it('packs frames that do not fill whole bytes back to back', async () => {
    const odd: SegSource = { ...source, columns: 5, rows: 3, images: source.images.slice(0, 3) };
    const small = new Uint8Array(5 * 3 * 3);
    [0, 4, 7, 14, 15, 16, 29, 30, 44].forEach((i) => (small[i] = i % 2 ? 2 : 1));
    const seg = exportDicomSeg({ labelmap: small, source: odd, segments: SCHEMA });
    const { frames, pixelData } = decodeSegFrames(seg, odd);
    expect(frames).toHaveLength(nonEmptyFrames(small, 15));
    // 15-bit frames, packed without padding between them, the whole padded to an even length.
    const bytes = Math.ceil((frames.length * 15) / 8);
    expect(pixelData.length).toBe(bytes + (bytes % 2));
    const rebuilt = new Uint8Array(small.length);
    for (const { segment, slice, samples } of frames) samples.forEach((s, p) => s && (rebuilt[slice * 15 + p] = segment));
    expect(rebuilt).toEqual(small);
    expect((await importDicomSeg(seg, odd, SCHEMA)).labelmap).toEqual(small);
  });

  it('places frames by position when they name no source image', async () => {
    const seg = naturalizedFile(bytes);
    for (const frame of seg.PerFrameFunctionalGroupsSequence as Record<string, unknown>[]) delete frame.DerivationImageSequence;
    const positional = writePart10(seg);
    expect((await importDicomSeg(positional, source, SCHEMA)).labelmap).toEqual(labelmap);
    // Positions only compare within one frame of reference.
    expect(await errorOf(() => importDicomSeg(positional, { ...source, frameOfReferenceUid: '1.2.3' }, SCHEMA))).toMatchObject({ name: 'DicomSegError', message: expect.stringMatching(/frame of reference/) });
    // A slice moved away: the frames on it lie on no slice.
    const moved = { ...source, images: source.images.map((image, i) => (i === 1 ? { ...image, position: [0, 0, 500] as [number, number, number] } : image)) };
    expect(await errorOf(() => importDicomSeg(positional, moved, SCHEMA))).toMatchObject({ message: expect.stringMatching(/lies on no slice/) });
  });

  it('keeps overlapping segments whole, the later one on an overlap layer, and writes them back as they came', async () => {
    // Frames: nodule on slices 1, 2; lung on slices 0, 2, 3. Fill the 4th (lung, slice 2) entirely: over the nodule.
    const overlapping = new Uint8Array(bytes);
    const { pixelData } = decodeSegFrames(bytes, source);
    overlapping.fill(0xff, pixelData.dataOffset + 3 * 32, pixelData.dataOffset + 4 * 32);
    const imported = await importDicomSeg(overlapping, source, SCHEMA);
    const lung = labelmap.map((v) => (v === 2 ? 2 : 0));
    lung.fill(2, 2 * frameSize, 3 * frameSize);
    expect(imported.labelmap).toEqual(labelmap.map((v) => (v === 1 ? 1 : 0)));
    expect(imported.overlapLayers).toEqual([lung]);
    expect(imported.warnings).toEqual([]);

    const again = exportDicomSeg({ labelmap: imported.labelmap, overlapLayers: imported.overlapLayers, source, segments: SCHEMA, now });
    expect(text(decodeSegFrames(again, source).ds, 'x00620013')).toBe('YES');
    expect(text(decodeSegFrames(bytes, source).ds, 'x00620013')).toBe('NO');
    expect(await importDicomSeg(again, source, SCHEMA)).toMatchObject({ labelmap: imported.labelmap, overlapLayers: [lung], warnings: [] });
    // One segment on two layers is not a labelmap Cohort makes: refused rather than written twice.
    expect(() => exportDicomSeg({ labelmap: imported.labelmap, overlapLayers: [imported.labelmap], source, segments: SCHEMA, now })).toThrow(/segment 1 is on layers 0 and 1/i);
  });

  it.each([8, 16])('imports a LABELMAP SEG of %i-bit segment numbers', async (bits) => {
    const seg = naturalizedFile(bytes);
    const pixels = bits === 8 ? labelmap : new Uint8Array(Uint16Array.from(labelmap).buffer);
    const labelMapSeg = writePart10({
      ...seg,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.66.7',
      SegmentationType: 'LABELMAP',
      BitsAllocated: bits,
      BitsStored: bits,
      HighBit: bits - 1,
      NumberOfFrames: source.images.length,
      // One frame per slice; the pixels are segment numbers, so there is no Segment Identification.
      PerFrameFunctionalGroupsSequence: source.images.map((image) => ({
        DerivationImageSequence: [{ SourceImageSequence: [{ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid }] }],
      })),
      PixelData: pixels.slice().buffer,
      _vrMap: { PixelData: bits === 8 ? 'OB' : 'OW' },
    });
    expect(await importDicomSeg(labelMapSeg, source, SCHEMA)).toMatchObject({ labelmap, warnings: [] });
  });

  it('reads a SEG in deflated explicit VR little endian', async () => {
    // Same data set, deflated after the File Meta Information, which then names the deflated syntax.
    expect((await importDicomSeg(deflatedFile(bytes), source, SCHEMA)).labelmap).toEqual(labelmap);
  });

  it('writes the study\'s retired ACR-NEMA dates and times in their DICOM 3 form (dcmjs refuses a ten-character DA)', () => {
    const old = { ...source, study: { ...source.study, studyDate: '1999.05.24', studyTime: '11:42:43.309512', patientBirthDate: '1950.01.12' } };
    const ds = dicomParser.parseDicom(exportDicomSeg({ labelmap, source: old, segments: SCHEMA }));
    expect(['x00080020', 'x00080030', 'x00100030'].map((tag) => text(ds, tag))).toEqual(['19990524', '114243.309512', '19500112']);
  });

  it('refuses what it cannot export', async () => {
    expect(await errorOf(() => exportDicomSeg({ labelmap: new Uint8Array(labelmap.length), source, segments: SCHEMA }))).toMatchObject({ name: 'DicomSegError', message: expect.stringMatching(/no voxels/) });
    expect(await errorOf(() => exportDicomSeg({ labelmap: labelmap.map((v) => (v === 2 ? 7 : v)), source, segments: SCHEMA }))).toMatchObject({ message: expect.stringMatching(/value\(s\) 7/) });
    expect(() => exportDicomSeg({ labelmap: labelmap.subarray(1), source, segments: SCHEMA })).toThrow(RangeError);
  });
});

describe('DICOM SEG import of highdicom files on the CT2 series', () => {
  const source = ct2Source();
  const BONE: SegSegment[] = [
    { value: 1, name: 'Lung' },
    { value: 3, name: 'Bone', code: { scheme: 'SCT', value: '272673000', meaning: 'Bone' } },
  ];

  it.each([
    ['seg_image_ct_binary.dcm', (s: number) => s === 1],
    ['seg_image_ct_true_fractional.dcm', (s: number) => s >= 128],
  ])('imports %s with the voxels its frames hold', async (file, inside) => {
    const bytes = readFileSync(sample(`valid/highdicom/${file}`));
    const { labelmap, mapping, warnings } = await importDicomSeg(bytes, source, BONE);
    expect(mapping).toEqual([{ segmentNumber: 1, label: 'first segment', value: 3 }]);
    expect(warnings).toEqual([]);
    // Decoded here: frame by frame onto the slice of the image it names.
    const frameSize = source.columns * source.rows;
    const expected = new Uint8Array(labelmap.length);
    const { frames } = decodeSegFrames(bytes, source);
    expect(frames.map((f) => f.slice)).toEqual([1, 2, 3]);
    for (const { slice, samples } of frames) samples.forEach((s, p) => inside(s) && (expected[slice * frameSize + p] = 3));
    const count = (voxels: Uint8Array) => voxels.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(count(labelmap)).toBeGreaterThan(0);
    expect(count(labelmap)).toBe(count(expected));
    expect(labelmap).toEqual(expected);
  });

  it('matches by label when the schema has no code for the segment', async () => {
    const bytes = readFileSync(sample('valid/highdicom/seg_image_ct_binary.dcm'));
    expect((await importDicomSeg(bytes, source, [{ value: 8, name: 'First Segment' }])).mapping).toEqual([{ segmentNumber: 1, label: 'first segment', value: 8 }]);
  });
});

describe('DICOM SEG import refusals', () => {
  const source = ct2Source();
  const refusal = async (bytes: Uint8Array, onto: SegSource = source) => {
    const err = await errorOf(() => importDicomSeg(bytes, onto, SCHEMA));
    expect(err).toBeInstanceOf(DicomSegError);
    return (err as DicomSegError).message;
  };
  const binary = readFileSync(sample('valid/highdicom/seg_image_ct_binary.dcm'));

  it('refuses a file that is not a SEG', async () => {
    expect(await refusal(readFileSync(samplesUnder(CT2)[0]!))).toMatch(/not a DICOM Segmentation: its SOP Class is 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2 and its modality CT/);
    expect(await refusal(new TextEncoder().encode('not dicom at all'.repeat(20)))).toMatch(/cannot be read as a DICOM file/);
  });

  it('refuses a SEG made on another series', async () => {
    expect(await refusal(readFileSync(sample('valid/pydicom-data/liver.dcm')))).toMatch(
      /Frame 1 references image 1\.2\.392\.200103\.20080913\.113635\.2\.2009\.6\.22\.21\.43\.10\.23433\.1, which is not in this series\. It was made on series 1\.2\.392\./,
    );
  });

  it('refuses frames of another size than the series', async () => {
    expect(await refusal(binary, { ...source, columns: 32, rows: 8 })).toMatch(/frames are 16×16 pixels; the series' images are 32×8/);
  });

  it('refuses a truncated file', async () => {
    expect(await refusal(binary.subarray(0, binary.length - 40))).toMatch(/truncated: its Pixel Data declares 96 bytes but only 56 follow/);
    expect(await refusal(binary.subarray(0, Math.floor(binary.length * 0.6)))).toMatch(/cannot be read as a DICOM file: it is malformed or truncated/);
  });

  it('refuses lossy compression, undecodable frames and tiled slides', async () => {
    const liver = readFileSync(sample('valid/pydicom-data/liver.dcm'));
    const onLiver = liverSource(liver);
    const frames = decodeSegFrames(liver, onLiver).frames.map((f) => Uint8Array.from(f.samples));
    expect(await refusal(encapsulatedFile(liver, '1.2.840.10008.1.2.4.50', frames), onLiver)).toMatch(
      /stored as JPEG Baseline \(Process 1\) \(1\.2\.840\.10008\.1\.2\.4\.50\), a lossy or unsupported compression, which would change which pixels belong to a segment/,
    );
    const rle = frames.map((f) => rleFrame(f));
    rle[1] = rle[1]!.subarray(0, 80);
    expect(await refusal(encapsulatedFile(liver, '1.2.840.10008.1.2.5', rle), onLiver)).toMatch(/^Frame 2 cannot be decoded: RLE segment 1 ends after/);
    expect(await refusal(encapsulatedFile(liver, '1.2.840.10008.1.2.5', rle.slice(0, 2)), onLiver)).toMatch(/cannot be split into its 3 frames/);
    expect(await refusal(readFileSync(sample('valid/highdicom/seg_image_sm_dots_tiled_full.dcm')))).toMatch(/TILED_FULL/);
  });
});

/**
 * The liver CT's three slices as dcmqi's SEG names them: their UIDs, positions and geometry, all that
 * SEG import reads of a series (the CT itself is not among the samples).
 */
function liverSource(seg: Uint8Array): SegSource {
  const ds = naturalizedFile(seg);
  const shared = ds.SharedFunctionalGroupsSequence[0] ?? ds.SharedFunctionalGroupsSequence;
  const images = (ds.PerFrameFunctionalGroupsSequence as Record<string, any>[]).map((frame) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
    sopClassUid: frame.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPClassUID as string,
    sopInstanceUid: frame.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID as string,
    frame: 1,
    position: frame.PlanePositionSequence[0].ImagePositionPatient as [number, number, number],
  }));
  return {
    images: images.sort((a, b) => a.position[2] - b.position[2]),
    columns: ds.Columns,
    rows: ds.Rows,
    orientation: shared.PlaneOrientationSequence[0].ImageOrientationPatient,
    pixelSpacing: shared.PixelMeasuresSequence[0].PixelSpacing,
    sliceThickness: shared.PixelMeasuresSequence[0].SliceThickness,
    frameOfReferenceUid: ds.FrameOfReferenceUID,
    study: { studyInstanceUid: ds.StudyInstanceUID },
    seriesInstanceUid: ds.ReferencedSeriesSequence[0].SeriesInstanceUID,
  };
}

/** One RLE Lossless frame (PS3.5 Annex G) of 8-bit samples: a 64-byte header and one PackBits segment. */
function rleFrame(samples: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < samples.length; ) {
    let run = 1;
    while (i + run < samples.length && run < 128 && samples[i + run] === samples[i]) run++;
    if (run >= 2) {
      out.push(257 - run, samples[i]!);
      i += run;
      continue;
    }
    let literal = 1;
    while (i + literal < samples.length && literal < 128 && samples[i + literal] !== samples[i + literal + 1]) literal++;
    out.push(literal - 1, ...samples.subarray(i, i + literal));
    i += literal;
  }
  const header = Buffer.alloc(64);
  header.writeUInt32LE(1, 0);
  header.writeUInt32LE(64, 4);
  return Buffer.concat([header, Buffer.from(out)]);
}

/** PS3.5 8.1.1's packing of one frame's 0/1 samples. */
const packed = (samples: Uint8Array) => {
  const bytes = new Uint8Array(Math.ceil(samples.length / 8));
  samples.forEach((s, p) => s && (bytes[p >> 3]! |= 1 << (p & 7)));
  return bytes;
};

describe("DICOM SEG import of 3D Slicer's liver segmentation (dcmqi), uncompressed and compressed", () => {
  const liver = readFileSync(sample('valid/pydicom-data/liver.dcm'));
  const source = liverSource(liver);
  const LIVER: SegSegment[] = [{ value: 4, name: 'Liver', color: '#a0522d', code: { scheme: 'SCT', value: '10200004', meaning: 'Liver' } }];
  const frameSize = source.columns * source.rows;
  // The labelmap its frames hold, decoded here bit by bit.
  const { frames } = decodeSegFrames(liver, source);
  const expected = new Uint8Array(frameSize * 3);
  for (const { slice, samples } of frames) samples.forEach((s, p) => s && (expected[slice * frameSize + p] = 4));
  const unpacked = frames.map((f) => Uint8Array.from(f.samples));

  it('imports the SEG as dcmqi wrote it, its legacy SRT-coded segment matched by name', async () => {
    expect(frames.map((f) => f.slice)).toEqual([0, 1, 2]);
    expect(expected.filter(Boolean).length).toBeGreaterThan(1000);
    const imported = await importDicomSeg(liver, source, LIVER);
    expect(imported.mapping).toEqual([{ segmentNumber: 1, label: 'Liver', value: 4 }]);
    expect(imported.warnings).toEqual([]);
    expect(Buffer.from(imported.labelmap).equals(Buffer.from(expected))).toBe(true);
  });

  it('imports the same voxels from its Deflated Image Frame Compression copy (pydicom)', async () => {
    const deflated = readFileSync(sample('valid/pydicom-data/liver_deflate.dcm'));
    expect(Buffer.from((await importDicomSeg(deflated, source, LIVER)).labelmap).equals(Buffer.from(expected))).toBe(true);
  });

  it.each([
    ['RLE Lossless, a byte per pixel', '1.2.840.10008.1.2.5', async (f: Uint8Array) => rleFrame(f)],
    ['RLE Lossless of the packed bits', '1.2.840.10008.1.2.5', async (f: Uint8Array) => rleFrame(packed(f))],
    ['Encapsulated Uncompressed', '1.2.840.10008.1.2.1.98', async (f: Uint8Array) => packed(f)],
    ['Deflated Image Frame Compression', '1.2.840.10008.1.2.8.1', async (f: Uint8Array) => deflateRawSync(packed(f))],
    ['JPEG-LS Lossless', '1.2.840.10008.1.2.4.80', (f: Uint8Array) => encodeLossless(f, { width: source.columns, height: source.rows, bitsPerSample: 8 }, 'jpeg-ls')],
    ['JPEG 2000 Lossless', '1.2.840.10008.1.2.4.90', (f: Uint8Array) => encodeLossless(f, { width: source.columns, height: source.rows, bitsPerSample: 8 }, 'jpeg-2000')],
  ])('imports the same voxels re-encoded as %s', async (_, syntax, encode) => {
    const seg = encapsulatedFile(liver, syntax, await Promise.all(unpacked.map(encode)));
    expect(seg.length).toBeLessThan(liver.length);
    const imported = await importDicomSeg(seg, source, LIVER);
    expect(Buffer.from(imported.labelmap).equals(Buffer.from(expected))).toBe(true);
  });
});

describe('CIELab', () => {
  it('converts sRGB colours as the usual references do (D65)', () => {
    const [l, a, b] = cieLabOf('#ff0000');
    expect(l).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 1);
    expect(b).toBeCloseTo(67.2, 1);
    const blue = cieLabOf('#0000FF');
    expect(blue[0]).toBeCloseTo(32.3, 1);
    expect(blue[1]).toBeCloseTo(79.19, 1);
    expect(blue[2]).toBeCloseTo(-107.86, 1);
  });

  it('scales to DICOM 16-bit values (PS3.3 C.10.7.1.1)', () => {
    // L × 65535/100, (a + 128) × 65535/255, (b + 128) × 65535/255.
    const [l, a, b] = dicomLabOf('#ff0000');
    expect(Math.abs(l - (53.24 * 65535) / 100)).toBeLessThan(10);
    expect(Math.abs(a - ((80.09 + 128) * 65535) / 255)).toBeLessThan(10);
    expect(Math.abs(b - ((67.2 + 128) * 65535) / 255)).toBeLessThan(10);
    expect(dicomLabOf('#ffffff')).toEqual([65535, 0x8080, 0x8080]);
    expect(dicomLabOf('#000000')).toEqual([0, 0x8080, 0x8080]);
    // dcmjs's own conversion agrees to within rounding.
    const { Colors } = dcmjs.data as unknown as { Colors: { rgb2DICOMLAB(rgb: number[]): number[] } };
    for (const hex of ['#ff0000', '#0ea5e9', '#22c55e', '#f59e0b']) {
      const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
      Colors.rgb2DICOMLAB(rgb).forEach((v, i) => expect(Math.abs(v - dicomLabOf(hex)[i]!)).toBeLessThan(8));
    }
  });
});
