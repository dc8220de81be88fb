import fs from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodedPhotometric, decodeFrame, hasDecoder } from './codecs/decode-frame';
import { isVideo } from './video-syntaxes.client';
import { isJpipReferenced, jpipFrameSamples } from './jpip-referenced';
import { encapsulatedFrames } from './encapsulated-frames';
import { bufferReader, readNativeFrame, type NativePixels, type PositionalReader } from './read-native-frame';
import { PIXEL_DATA } from './read-header';
import { EXPLICIT_VR_BIG_ENDIAN, isNativeOnDisk, transferSyntaxOf } from './transfer-syntaxes';
import { storedVideoFrames, videoFramesOf } from './video-frames';

/** What reading an instance's frames needs from its header. */
export type FrameSource = NativePixels & { transferSyntaxUid: string; bitsStored?: number | null };
export type StoredPixels = FrameSource & { sha256: string; size: number };

/** A frame's native little-endian samples, the colour space they are in, and their layout. */
export type FrameSamples = {
  samples: Buffer;
  /** The header's, unless the codec converted colour (JPEG YCbCr, JPEG 2000 RCT/ICT: RGB). */
  photometricInterpretation: string;
  /** 0: interleaved, 1: one plane per sample (as the header says). */
  planarConfiguration: number;
};

/** Whether frameSamples can read this instance's frames: native, deflated, video, or a syntax with a decoder here. */
export function canReadFrames(row: Pick<FrameSource, 'transferSyntaxUid'>): boolean {
  return isNativeOnDisk(row.transferSyntaxUid) || !!transferSyntaxOf(row.transferSyntaxUid)?.deflated || hasDecoder(row.transferSyntaxUid) || isVideo(row.transferSyntaxUid) || isJpipReferenced(row.transferSyntaxUid);
}

/**
 * Whether framePixels can give this instance's frames as the native form of its own header: as
 * canReadFrames, except compressed colour the codec converts (a JPEG labelled YBR_FULL_422 decodes
 * to RGB, which is not what the header says of the samples). Video is the exception: its
 * YBR_PARTIAL_420 has no native form, so RGB is the only one its frames can be given in, and the
 * browser has no decoder for it.
 */
export function canDecodeFrames(row: Pick<FrameSource, 'transferSyntaxUid' | 'photometricInterpretation'>): boolean {
  return canReadFrames(row) && (isVideo(row.transferSyntaxUid) || decodedPhotometric(row.transferSyntaxUid, row.photometricInterpretation) === row.photometricInterpretation);
}

/**
 * Frames (numbered from 1) of a stored instance as native little-endian samples, whatever the stored
 * form: read at the offsets indexed at ingest (byte-swapped when big endian), inflated (deflated
 * files), or decoded (JPEG, JPEG-LS, JPEG 2000, HTJ2K, RLE: lib/dicom/codecs). The pixels people
 * and models look at; colour may come out as RGB where the header says YBR (see FrameSamples).
 */
export async function frameSamples(row: StoredPixels, frames: readonly number[]): Promise<FrameSamples[]> {
  if (!canReadFrames(row)) throw new AppError('NOT_ACCEPTABLE', `${transferSyntaxOf(row.transferSyntaxUid)?.name ?? row.transferSyntaxUid} frames are not decoded on the server; the viewer decodes them.`);
  if (isVideo(row.transferSyntaxUid)) return asVideoSamples(row, frames, () => storedVideoFrames(row, frames));
  if (isJpipReferenced(row.transferSyntaxUid)) return jpipSamples(row, frames);
  const path = getBlobStore().pathOf(row.sha256);
  if (transferSyntaxOf(row.transferSyntaxUid)?.deflated) {
    // The pixel data offsets of a deflated file are in its inflated data set (as read at ingest).
    const dataSet = dicomParser.parseDicom(await fs.readFile(path), { untilTag: PIXEL_DATA });
    return readFrames(bufferReader(dataSet.byteArray), row, frames, dataSet.uint16('x00280006') ?? 0);
  }
  const file = await fs.open(path, 'r');
  try {
    return await readFrames(file, row, frames, await planarConfiguration(file, row));
  } finally {
    await file.close();
  }
}

/**
 * Frames as the native form of the instance's own header (WADO-RS frames as explicit VR little
 * endian, inference, exports): NOT_ACCEPTABLE where canDecodeFrames says no.
 */
export async function framePixels(row: StoredPixels, frames: readonly number[]): Promise<Buffer[]> {
  if (!canDecodeFrames(row)) throw notNative(row);
  return (await frameSamples(row, frames)).map((f) => f.samples);
}

/**
 * The frames of an instance from a reader over its bytes (a stored file, or a Part-10 file or an
 * inflated data set in memory): read as they lie, or decoded. A corrupt codestream is NOT_ACCEPTABLE
 * with the codec's reason.
 */
export async function readFrames(reader: PositionalReader, source: FrameSource, frames: readonly number[], planar: number): Promise<FrameSamples[]> {
  const { transferSyntaxUid, photometricInterpretation } = source;
  if (!transferSyntaxOf(transferSyntaxUid)?.encapsulated) {
    const swap = transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN;
    return Promise.all(frames.map(async (n) => ({ samples: await readNativeFrame(reader, source, n, swap), photometricInterpretation, planarConfiguration: planar })));
  }
  if (isVideo(transferSyntaxUid)) return asVideoSamples(source, frames, () => videoFramesOf(reader, source, frames));
  const header = { transferSyntaxUid, photometricInterpretation, rows: source.rows ?? 0, columns: source.columns ?? 0, samplesPerPixel: source.samplesPerPixel ?? 1, bitsAllocated: source.bitsAllocated ?? 0, planarConfiguration: planar };
  const encoded = await encapsulatedFrames(reader, source, [...frames]);
  const decoded: FrameSamples[] = [];
  for (const [i, frame] of encoded.entries()) {
    try {
      decoded.push({ ...(await decodeFrame(frame, header)), planarConfiguration: planar });
    } catch (err) {
      throw new AppError('NOT_ACCEPTABLE', `Frame ${frames[i]} could not be decoded (${transferSyntaxOf(transferSyntaxUid)?.name}): ${(err as Error).message}`);
    }
  }
  return decoded;
}

/** A JPIP-referenced image's one frame, from its JPIP server (jpip-referenced.ts). */
async function jpipSamples(row: StoredPixels, frames: readonly number[]): Promise<FrameSamples[]> {
  if (frames.some((n) => n !== 1)) throw new AppError('BAD_REQUEST', 'A JPIP-referenced image has one frame here.');
  const { rows, columns, bitsAllocated } = row;
  if (!rows || !columns || !bitsAllocated) throw new AppError('NOT_ACCEPTABLE', 'This JPIP-referenced image does not say its size (Rows, Columns, Bits Allocated).');
  const frame = await jpipFrameSamples({ ...row, rows, columns, bitsAllocated, samplesPerPixel: row.samplesPerPixel ?? 1 });
  return frames.map(() => frame);
}

/** Decoded video frames (RGB, interleaved), or NOT_ACCEPTABLE with ffmpeg's reason. */
async function asVideoSamples(source: FrameSource, frames: readonly number[], decode: () => Promise<Buffer[]>): Promise<FrameSamples[]> {
  try {
    return (await decode()).map((samples) => ({ samples, photometricInterpretation: 'RGB', planarConfiguration: 0 }));
  } catch (err) {
    throw new AppError('NOT_ACCEPTABLE', `The video could not be decoded (${transferSyntaxOf(source.transferSyntaxUid)?.name}): ${(err as Error).message}`);
  }
}

function notNative(row: Pick<FrameSource, 'transferSyntaxUid' | 'photometricInterpretation'>): AppError {
  const name = transferSyntaxOf(row.transferSyntaxUid)?.name ?? row.transferSyntaxUid;
  if (!canReadFrames(row)) return new AppError('NOT_ACCEPTABLE', `${name} frames are not decoded on the server; the viewer decodes them.`);
  return new AppError(
    'NOT_ACCEPTABLE',
    `${name} ${row.photometricInterpretation} frames decode to ${decodedPhotometric(row.transferSyntaxUid, row.photometricInterpretation)}, not what the header says; ask for them as stored.`,
  );
}

/** Planar Configuration (0028,0006) from the header before Pixel Data: 0 unless colour says otherwise. */
async function planarConfiguration(file: PositionalReader, row: StoredPixels): Promise<number> {
  if ((row.samplesPerPixel ?? 1) === 1 || row.pixelDataOffset === null) return 0;
  const head = Buffer.alloc(Math.min(row.size, row.pixelDataOffset));
  await file.read(head, 0, head.length, 0);
  return dicomParser.parseDicom(head, { untilTag: PIXEL_DATA }).uint16('x00280006') ?? 0;
}
