import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import { newUid } from '../../lib/dicom/uid';
import { metaEnd } from '../../lib/dicom/deidentify/dcmjs-dataset';
import { fileMetaInformation, writePart10 } from '../../lib/dicom/write-part10';

/**
 * Real files written again in other transfer syntaxes, for tests that check every syntax decodes to
 * the same pixels: encapsulation (PS3.5 A.4) and the deflated syntax done here byte by byte, frames
 * encoded by Cornerstone's own WebAssembly encoders with their lossless settings.
 */

// dcm_qa_ts carries Siemens private tags dcmjs's dictionary lacks: its warnings about each are noise here.
dcmjs.log.setLevel('error');

type Dataset = Record<string, any> & { SOPClassUID: string; SOPInstanceUID: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Part-10 file's data set as dcmjs reads and naturalizes it. */
export function naturalizedFile(bytes: Uint8Array): Dataset {
  const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict) as Dataset;
}

/** A File Meta Information group naming `transferSyntaxUid` for the data set (nothing after it). */
export const metaFor = (ds: { SOPClassUID: string; SOPInstanceUID: string }, transferSyntaxUid: string) => new Uint8Array(new dcmjs.data.DicomDict(fileMetaInformation(ds, { transferSyntaxUid })).write());

/** An explicit VR little endian file with its data set deflated (Deflated Explicit VR Little Endian). */
export function deflatedFile(file: Uint8Array): Uint8Array {
  return Buffer.concat([metaFor(naturalizedFile(file), '1.2.840.10008.1.2.1.99'), deflateRawSync(file.subarray(metaEnd(file)))]);
}

/** An explicit VR little endian file's data set (edited) with `frames` as its Pixel Data, encapsulated in `transferSyntaxUid`, one fragment each. */
export function encapsulatedFile(file: Uint8Array, transferSyntaxUid: string, frames: Uint8Array[], edit: (ds: Dataset) => void = () => {}): Uint8Array {
  const ds = naturalizedFile(file);
  delete ds.PixelData;
  edit(ds);
  const plain = writePart10(ds);
  const offsets = Buffer.alloc(4 * frames.length);
  frames.reduce((at, f, i) => (offsets.writeUInt32LE(at, 4 * i), at + 8 + f.length + (f.length % 2)), 0);
  return Buffer.concat([metaFor(ds, transferSyntaxUid), plain.subarray(metaEnd(plain)), encapsulatedPixelData(offsets, frames)]);
}

/**
 * An explicit VR little endian file's data set (edited) as a JPIP-referenced instance (PS3.5 §A.6):
 * no Pixel Data, only the address of the JPIP server holding the pixels (Pixel Data Provider URL).
 */
export function jpipReferencedFile(file: Uint8Array, url: string, edit: (ds: Dataset) => void = () => {}): Uint8Array {
  const ds = naturalizedFile(file);
  delete ds.PixelData;
  ds.PixelDataProviderURL = url;
  edit(ds);
  const plain = writePart10(ds);
  return Buffer.concat([metaFor(ds, '1.2.840.10008.1.2.4.94'), plain.subarray(metaEnd(plain))]);
}

/** An encapsulated Pixel Data element (PS3.5 §A.4): the Basic Offset Table item, one item per fragment (padded to even length), the delimiter. */
export function encapsulatedPixelData(offsetTable: Uint8Array, fragments: readonly Uint8Array[]): Buffer {
  const item = (value: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(0xe000fffe, 0);
    head.writeUInt32LE(value.length + (value.length % 2), 4);
    return Buffer.concat([head, value, Buffer.alloc(value.length % 2)]);
  };
  const pixelData = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const delimiter = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  return Buffer.concat([pixelData, item(offsetTable), ...fragments.map(item), delimiter]);
}

type Encoder = {
  getDecodedBuffer(info: object): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  // Each codec has some of these (the names its WebAssembly binding exports).
  setLossless?(on: boolean): void;
  setNearLossless?(maxError: number): void;
  setQuality?(lossless: boolean, quality: number): void;
  setCompressionRatio?(layer: number, ratio: number): void;
  setDistance?(distance: number): void;
};
type FrameInfo = { width: number; height: number; bitsPerSample: number };
const CODECS = {
  'jpeg-ls': { load: () => import('@cornerstonejs/codec-charls/wasmjs'), encoder: 'JpegLSEncoder', wasm: null },
  'jpeg-2000': { load: () => import('@cornerstonejs/codec-openjpeg/wasmjs'), encoder: 'J2KEncoder', wasm: null },
  htj2k: { load: () => import('@cornerstonejs/codec-openjph/wasmjs'), encoder: 'HTJ2KEncoder', wasm: null },
  // An ES module that fetches its .wasm by URL in a browser: given the bytes in Node.
  'jpeg-xl': { load: () => import('@cornerstonejs/codec-libjxl/encodewasmjs'), encoder: 'JpegXLEncoder', wasm: 'node_modules/@cornerstonejs/codec-libjxl/dist/jpegxlwasm_encode.wasm' },
} as const;

/** One greyscale frame (little-endian samples) through one of Cornerstone's encoders, losslessly. */
export function encodeLossless(samples: Uint8Array, info: FrameInfo, codec: keyof typeof CODECS): Promise<Uint8Array> {
  return encodeFrame(samples, info, codec, (encoder) => encoder.setLossless?.(true));
}

/** One greyscale frame through one of Cornerstone's encoders, set up by `setup` (its defaults otherwise). */
async function encodeFrame(samples: Uint8Array, info: FrameInfo, codec: keyof typeof CODECS, setup: (encoder: Encoder) => void): Promise<Uint8Array> {
  const { load, encoder: name, wasm } = CODECS[codec];
  const factory = (await load()).default as unknown as (overrides: object) => Promise<Record<string, new () => Encoder>>;
  const codecs = await factory({ print() {}, printErr() {}, ...(wasm ? { wasmBinary: readFileSync(path.join(process.cwd(), wasm)) } : {}) });
  const encoder = new codecs[name]!();
  encoder.getDecodedBuffer({ ...info, componentCount: 1, isSigned: false, isUsingColorTransform: false }).set(samples);
  setup(encoder);
  encoder.encode();
  return new Uint8Array(encoder.getEncodedBuffer());
}

/**
 * dcm_qa_ts's one MR image (384², 16-bit) in fourteen transfer syntaxes, as one new series of a new
 * study: its nine files as published (explicit and implicit little endian, explicit big endian, RLE,
 * JPEG lossless SV1 twice, JPEG-LS twice, JPEG 2000 lossless) and the first re-encoded here as
 * deflated explicit little endian, HTJ2K lossless, JPEG XL lossless, JPEG 2000 Part 2 lossless (a
 * Part 1 codestream, which Part 2 admits: no encoder here writes Part 2's extensions) and Deflated
 * Image Frame Compression. All lossless: one picture.
 */
export async function oneImageInEveryLosslessSyntax(samplesDir: string, studyDescription: string): Promise<{ files: Uint8Array[]; syntaxes: string[] }> {
  const published = Array.from({ length: 9 }, (_, i) => readFileSync(path.join(samplesDir, `${i + 1}.dcm`)));
  const renumbered = inOneNewSeries(studyDescription);
  const files: Uint8Array[] = published.map((file, i) => renumbered(file, i + 1));
  const first = files[0]!;
  const ds = naturalizedFile(first);
  const frame = new Uint8Array(ds.PixelData[0] as ArrayBuffer);
  const info = { width: ds.Columns as number, height: ds.Rows as number, bitsPerSample: ds.BitsAllocated as number };
  const another = (instance: number) => (edit: Dataset) => {
    edit.SOPInstanceUID = newUid();
    edit.InstanceNumber = instance;
  };
  const deflated = (() => {
    const edited = naturalizedFile(first);
    another(10)(edited);
    return deflatedFile(writePart10(edited));
  })();
  files.push(
    deflated,
    encapsulatedFile(first, '1.2.840.10008.1.2.4.201', [await encodeLossless(frame, info, 'htj2k')], another(11)),
    encapsulatedFile(first, '1.2.840.10008.1.2.4.110', [await encodeLossless(frame, info, 'jpeg-xl')], another(12)),
    encapsulatedFile(first, '1.2.840.10008.1.2.4.92', [await encodeLossless(frame, info, 'jpeg-2000')], another(13)),
    encapsulatedFile(first, '1.2.840.10008.1.2.8.1', [deflateRawSync(frame)], another(14)),
  );
  return { files, syntaxes: files.map(transferSyntaxOfFile) };
}

/**
 * The same MR image in the lossy syntaxes (as one new series of a new study, after it as published,
 * explicit little endian, for reference): JPEG extended (12-bit), spectral selection and full
 * progression written by DCMTK's dcmcjpeg; JPEG-LS near-lossless, JPEG 2000 (also as Part 2, which
 * the browser cannot decode), HTJ2K and JPEG XL by Cornerstone's encoders with lossy settings.
 */
export async function oneImageInLossySyntaxes(samplesDir: string, studyDescription: string, workDir: string): Promise<{ files: Uint8Array[]; syntaxes: string[] }> {
  const source = path.join(samplesDir, '1.dcm');
  const renumbered = inOneNewSeries(studyDescription);
  const files: Uint8Array[] = [renumbered(readFileSync(source), 1)];
  mkdirSync(workDir, { recursive: true });
  for (const mode of ['+ee', '+es', '+ep']) {
    const out = path.join(workDir, `lossy${mode.slice(1)}.dcm`);
    execFileSync('dcmcjpeg', [mode, source, out]);
    files.push(renumbered(readFileSync(out), files.length + 1));
  }
  const first = files[0]!;
  const ds = naturalizedFile(first);
  const frame = new Uint8Array(ds.PixelData[0] as ArrayBuffer);
  const info = { width: ds.Columns as number, height: ds.Rows as number, bitsPerSample: ds.BitsAllocated as number };
  const another = (edit: Dataset) => {
    edit.SOPInstanceUID = newUid();
    edit.InstanceNumber = files.length + 1;
  };
  const j2k = await encodeFrame(frame, info, 'jpeg-2000', (e) => (e.setQuality!(false, 0), e.setCompressionRatio!(0, 20)));
  for (const [syntax, encoded] of [
    ['1.2.840.10008.1.2.4.81', await encodeFrame(frame, info, 'jpeg-ls', (e) => e.setNearLossless!(2))],
    ['1.2.840.10008.1.2.4.91', j2k],
    ['1.2.840.10008.1.2.4.93', j2k],
    ['1.2.840.10008.1.2.4.203', await encodeFrame(frame, info, 'htj2k', (e) => e.setQuality!(false, 0.0005))],
    ['1.2.840.10008.1.2.4.112', await encodeFrame(frame, info, 'jpeg-xl', (e) => (e.setLossless!(false), e.setDistance!(0.5)))],
  ] as const) {
    files.push(encapsulatedFile(first, syntax, [encoded], another));
  }
  return { files, syntaxes: files.map(transferSyntaxOfFile) };
}

/** Files made members of one new series of a new study (`instance` their Instance Number), each with a new SOP Instance UID. */
function inOneNewSeries(studyDescription: string): (file: Uint8Array, instance: number) => Uint8Array {
  const [study, series] = [newUid(), newUid()];
  return (file, instance) => {
    const dict = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const sop = newUid();
    Object.assign(dict.dict, {
      '0020000D': { vr: 'UI', Value: [study] },
      '0020000E': { vr: 'UI', Value: [series] },
      '00080018': { vr: 'UI', Value: [sop] },
      '00200013': { vr: 'IS', Value: [instance] },
      '00081030': { vr: 'LO', Value: [studyDescription] },
    });
    dict.meta['00020003'] = { vr: 'UI', Value: [sop] };
    // One fragment per frame, as the files were published (dcmjs would cut frames in 20 kB pieces).
    return new Uint8Array(dict.write({ allowInvalidVRLength: true, fragmentMultiframe: false }));
  };
}

function transferSyntaxOfFile(file: Uint8Array): string {
  const dict = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
  return (dict.meta['00020010'] as { Value: string[] }).Value[0]!;
}
