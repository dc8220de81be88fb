import fs from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import { AppError } from '@/lib/errors/app-error';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { bufferReader, nativeFrameBytes, readNativeFrame, type NativePixels } from './read-native-frame';
import { PIXEL_DATA } from './read-header';
import { EXPLICIT_VR_BIG_ENDIAN, isNativeOnDisk, transferSyntaxOf } from './transfer-syntaxes';

/** Compressed syntaxes decoded on the server (daikon's decoders); HTJ2K is not among them. */
const DECODABLE = new Set([
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless, first-order prediction
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.5', // RLE lossless
]);

export type StoredPixels = NativePixels & { sha256: string; transferSyntaxUid: string };

/** Whether framePixels can give this instance's frames as native samples. */
export function canDecodeFrames(row: Pick<StoredPixels, 'transferSyntaxUid' | 'photometricInterpretation'>): boolean {
  if (isNativeOnDisk(row.transferSyntaxUid) || transferSyntaxOf(row.transferSyntaxUid)?.deflated) return true;
  // Decoders turn colour into something other than what the header says (YBR into RGB): grayscale only.
  return DECODABLE.has(row.transferSyntaxUid) && /^MONOCHROME[12]$/.test(row.photometricInterpretation);
}

/**
 * Frames (numbered from 1) as native little-endian samples, whatever the stored form: read from the
 * file at the offsets indexed at ingest (byte-swapped when big endian), inflated (deflated files), or
 * decoded (compressed grayscale: JPEG, JPEG-LS, JPEG 2000, RLE). Throws NOT_ACCEPTABLE for what
 * cannot be decoded here (see canDecodeFrames).
 */
export async function framePixels(row: StoredPixels, frames: readonly number[]): Promise<Buffer[]> {
  if (!canDecodeFrames(row)) {
    throw new AppError('NOT_ACCEPTABLE', `${transferSyntaxOf(row.transferSyntaxUid)?.name ?? row.transferSyntaxUid} ${row.photometricInterpretation || ''} frames are not decoded on the server; the viewer decodes them.`);
  }
  const path = getBlobStore().pathOf(row.sha256);
  if (isNativeOnDisk(row.transferSyntaxUid)) {
    const file = await fs.open(path, 'r');
    try {
      return await Promise.all(frames.map((n) => readNativeFrame(file, row, n, row.transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN)));
    } finally {
      await file.close();
    }
  }
  if (transferSyntaxOf(row.transferSyntaxUid)?.deflated) {
    // The pixel data offsets of a deflated file are in its inflated data set (as read at ingest).
    const inflated = dicomParser.parseDicom(await fs.readFile(path), { untilTag: PIXEL_DATA }).byteArray;
    return Promise.all(frames.map((n) => readNativeFrame(bufferReader(inflated), row, n)));
  }
  return decodeFrames(await fs.readFile(path), row, frames);
}

async function decodeFrames(file: Buffer, row: StoredPixels, frames: readonly number[]): Promise<Buffer[]> {
  // Loaded on first use: most installations store native images, and daikon's JPEG-LS decoder is large.
  const { default: daikon } = await import('daikon');
  const frameBytes = nativeFrameBytes(row);
  const image = daikon.Series.parseImage(new DataView(file.buffer, file.byteOffset, file.byteLength));
  if (!image || frameBytes === null) throw new AppError('NOT_ACCEPTABLE', 'This image could not be decoded on the server; the viewer decodes it.');
  let decoded: ArrayBuffer;
  try {
    // Every frame is decoded at once (daikon has no other way), so a request's frames share one decode.
    decoded = image.getRawData();
  } catch (err) {
    throw new AppError('NOT_ACCEPTABLE', `This image could not be decoded on the server (${(err as Error).message}); the viewer decodes it.`);
  }
  if (decoded.byteLength < row.frames * frameBytes) throw new AppError('NOT_ACCEPTABLE', 'This image decoded to fewer pixels than its header says.');
  // The decoders give samples in this machine's byte order: little endian on every platform Node runs on.
  return frames.map((n) => Buffer.from(decoded.slice((n - 1) * frameBytes, n * frameBytes)));
}
