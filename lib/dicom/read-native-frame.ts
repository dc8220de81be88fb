import type fs from 'node:fs/promises';
import { AppError } from '@/lib/errors/app-error';

/** What an instance row says about its native (uncompressed) pixels. */
export type NativePixels = {
  rows: number | null;
  columns: number | null;
  samplesPerPixel: number | null;
  bitsAllocated: number | null;
  photometricInterpretation: string;
  pixelDataOffset: number | null;
  pixelDataLength: number | null;
  frames: number;
};

/**
 * One frame of native Pixel Data, read from the stored file at the offsets indexed at ingest. A
 * Pixel Data shorter than its header needs (tolerated, with a warning, at ingest) reads as zeros
 * past its end. Optionally byte-swapped, for big-endian files.
 */
export async function readNativeFrame(file: fs.FileHandle, pixels: NativePixels, frame: number, swapBytes = false): Promise<Buffer> {
  const { rows, columns, bitsAllocated, pixelDataOffset } = pixels;
  if (!rows || !columns || !bitsAllocated || pixelDataOffset === null) throw new AppError('NOT_FOUND', 'This instance does not say how its pixels are laid out.');
  if (bitsAllocated === 1 && pixels.frames > 1) throw new AppError('NOT_FOUND', 'Frames of 1-bit multi-frame pixel data are not served yet.');
  // YBR_FULL_422 stores two samples per pixel (luminance pairs share chroma).
  const samples = pixels.photometricInterpretation === 'YBR_FULL_422' ? 2 : (pixels.samplesPerPixel ?? 1);
  const frameBytes = Math.ceil((rows * columns * samples * bitsAllocated) / 8);
  const start = pixelDataOffset + (frame - 1) * frameBytes;
  const available = Math.max(0, Math.min(frameBytes, pixelDataOffset + (pixels.pixelDataLength ?? 0) - start));
  const out = Buffer.alloc(frameBytes);
  await file.read(out, 0, available, start);
  if (swapBytes && bitsAllocated === 16) out.swap16();
  if (swapBytes && bitsAllocated === 32) out.swap32();
  return out;
}
