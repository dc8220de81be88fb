/**
 * lib/dicom/codecs on real codestreams: lossless syntaxes decode to the uncompressed original's
 * exact pixels, layouts follow the header, and corrupt or mismatched codestreams fail with a reason.
 */
import { readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { decodeFrame, decodedPhotometric, type FrameHeader } from '@/lib/dicom/codecs/decode-frame';
import { decodeRle } from '@/lib/dicom/codecs/decode-rle';
import { sample } from '../helpers/dicom-samples';

function read(file: string) {
  const dataSet = dicomParser.parseDicom(readFileSync(sample(file)));
  const pixels = dataSet.elements.x7fe00010!;
  const header: FrameHeader = {
    transferSyntaxUid: dataSet.string('x00020010')!,
    rows: dataSet.uint16('x00280010')!,
    columns: dataSet.uint16('x00280011')!,
    samplesPerPixel: dataSet.uint16('x00280002')!,
    bitsAllocated: dataSet.uint16('x00280100')!,
    photometricInterpretation: dataSet.string('x00280004')!,
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
  };
  const frame = (n: number) =>
    pixels.encapsulatedPixelData
      ? Buffer.from(
          (dataSet.intString('x00280008') ?? 1) === 1
            ? dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixels, 0, pixels.fragments!.length)
            : dicomParser.readEncapsulatedImageFrame(dataSet, pixels, n),
        )
      : Buffer.from(dataSet.byteArray.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length));
  return { header, frame };
}

describe('decodeFrame', () => {
  it('decodes RLE, JPEG lossless, JPEG-LS and JPEG 2000 lossless to the exact pixels of the uncompressed original', async () => {
    const original = read('valid/dcm_qa_ts/1.dcm').frame(0);
    for (const n of [4, 5, 6, 7, 8, 9]) {
      const { header, frame } = read(`valid/dcm_qa_ts/${n}.dcm`);
      const decoded = await decodeFrame(frame(0), header);
      expect(decoded.samples.equals(original), `dcm_qa_ts/${n}.dcm (${header.transferSyntaxUid})`).toBe(true);
      expect(decoded.photometricInterpretation).toBe('MONOCHROME2');
    }
  });

  it('gives colour in the layout the header asks for, and says which colour space it decoded to', async () => {
    const { header, frame } = read('valid/pydicom/SC_rgb_rle_16bit_2frame.dcm');
    const interleaved = await decodeFrame(frame(0), header);
    const planar = await decodeFrame(frame(0), { ...header, planarConfiguration: 1 });
    const count = 100 * 100;
    // Pixel 0 is red: 0xFFFF, 0, 0 as little-endian words, interleaved or in three planes.
    expect([...interleaved.samples.subarray(0, 6)]).toEqual([0xff, 0xff, 0, 0, 0, 0]);
    for (const p of [0, 1234, count - 1]) {
      for (const c of [0, 1, 2]) expect(planar.samples.readUInt16LE(2 * (c * count + p))).toBe(interleaved.samples.readUInt16LE(2 * (3 * p + c)));
    }
    const jpeg = read('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm');
    expect((await decodeFrame(jpeg.frame(0), jpeg.header)).photometricInterpretation).toBe('RGB'); // from YBR_FULL
    expect(decodedPhotometric('1.2.840.10008.1.2.4.50', 'YBR_FULL_422')).toBe('RGB');
    expect(decodedPhotometric('1.2.840.10008.1.2.4.90', 'YBR_RCT')).toBe('RGB');
    expect(decodedPhotometric('1.2.840.10008.1.2.5', 'YBR_FULL')).toBe('YBR_FULL'); // RLE keeps what it holds
    expect(decodedPhotometric('1.2.840.10008.1.2.4.80', 'RGB')).toBe('RGB');
  });

  it('widens 8-bit codestreams into a 16-bit allocation', async () => {
    const { header, frame } = read('valid/pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm');
    const asBytes = await decodeFrame(frame(0), header);
    const asWords = await decodeFrame(frame(0), { ...header, bitsAllocated: 16 });
    expect(asWords.samples.length).toBe(asBytes.samples.length * 2);
    for (const i of [0, 5000, 400_000]) expect(asWords.samples.readUInt16LE(2 * i)).toBe(asBytes.samples[i]);
  });

  it('fails with a reason on corrupt codestreams, and on ones that do not match the header', async () => {
    const jls = read('valid/dcm_qa_ts/7.dcm');
    await expect(decodeFrame(Buffer.alloc(100, 0x5a), jls.header)).rejects.toThrow(/JPEG-LS/);
    await expect(decodeFrame(jls.frame(0), { ...jls.header, rows: 100 })).rejects.toThrow(/384×384 pixels of 1 samples; the header says 384×100 of 1/);
    const j2k = read('valid/dcm_qa_ts/9.dcm');
    await expect(decodeFrame(j2k.frame(0).subarray(0, 40), j2k.header)).rejects.toThrow();
    const jpeg = read('valid/pydicom/SC_rgb_jpeg_dcmtk.dcm');
    await expect(decodeFrame(Buffer.from('not a jpeg at all'), jpeg.header)).rejects.toThrow(/libjpeg-turbo/);
    await expect(decodeFrame(Buffer.alloc(8), { ...jpeg.header, transferSyntaxUid: '1.2.840.10008.1.2.4.100' })).rejects.toThrow(/No decoder/);
  });
});

describe('decodeFrame on mutated codestreams', () => {
  // A seeded generator: the same mutations every run.
  function mutations(frame: Buffer, count: number, seed: number): Buffer[] {
    let state = seed;
    const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    return Array.from({ length: count }, () => {
      const mutated = Buffer.from(frame);
      for (let k = 0; k < 1 + Math.floor(next() * 8); k++) mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
      return next() < 0.2 ? mutated.subarray(0, Math.floor(next() * mutated.length)) : mutated;
    });
  }

  it('resolves or fails with a message on every mutation, and each codec still decodes a good frame afterwards', async () => {
    for (const [file, count] of [
      ['valid/pydicom/SC_rgb_jpeg_dcmtk.dcm', 40],
      ['valid/pydicom/JPGExtended.dcm', 40],
      ['valid/dcm_qa_ts/4.dcm', 40],
      ['valid/dcm_qa_ts/5.dcm', 20],
      ['valid/dcm_qa_ts/9.dcm', 20],
      ['invalid/real/pydicom-data/HTJ2K_08_RGB.dcm', 20],
      ['valid/dcm_qa_ts/7.dcm', 6], // CharLS takes up to seconds to give up on a corrupt stream
    ] as const) {
      const { header, frame } = read(file);
      for (const mutated of mutations(frame(0), count, 42)) {
        const outcome = await decodeFrame(mutated, header).then(
          (d) => d.samples.length,
          (err: unknown) => err,
        );
        if (typeof outcome !== 'number') expect((outcome as Error).message, file).toMatch(/\S/);
      }
      await expect(decodeFrame(frame(0), header), file).resolves.toBeDefined();
    }
  }, 60_000);
});

describe('decodeRle', () => {
  const layout = { rows: 384, columns: 384, samplesPerPixel: 1, bitsAllocated: 16, planarConfiguration: 0 };
  const frame = read('valid/dcm_qa_ts/4.dcm').frame(0);

  it('refuses a header that does not fit the image, segments outside the frame, and short segments', () => {
    expect(() => decodeRle(frame.subarray(0, 40), layout)).toThrow(/header is truncated/);
    expect(() => decodeRle(frame, { ...layout, bitsAllocated: 8 })).toThrow(/2 segments; 1 samples of 1 bytes need 1/);
    const outside = Buffer.from(frame);
    outside.writeUInt32LE(frame.length + 10, 8); // the second segment starts past the end
    expect(() => decodeRle(outside, layout)).toThrow(/segment 1 lies outside the frame/);
    expect(() => decodeRle(frame.subarray(0, frame.length - 500), layout)).toThrow(/segment 2 ends after \d+ of 147456 pixels/);
  });

  it('reads PackBits literal runs, repeats and no-ops', () => {
    const header = Buffer.alloc(64);
    header.writeUInt32LE(1, 0);
    header.writeUInt32LE(64, 4);
    // 2 literal bytes (1, 2), 3 repeats of 9, a no-op (-128), then 1 literal (7).
    const body = Buffer.from([1, 1, 2, 0xfe, 9, 0x80, 0, 7]);
    const out = decodeRle(Buffer.concat([header, body]), { rows: 1, columns: 6, samplesPerPixel: 1, bitsAllocated: 8, planarConfiguration: 0 });
    expect([...out]).toEqual([1, 2, 9, 9, 9, 7]);
  });
});
