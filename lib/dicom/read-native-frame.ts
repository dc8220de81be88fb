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

/** Bytes in one native frame, or null when the header does not say. */
export function nativeFrameBytes(p: Pick<NativePixels, 'rows' | 'columns' | 'samplesPerPixel' | 'bitsAllocated' | 'photometricInterpretation'>): number | null {
  if (!p.rows || !p.columns || !p.bitsAllocated) return null;
  return Math.ceil((p.rows * p.columns * samplesStored(p) * p.bitsAllocated) / 8);
}

/** Samples stored per pixel: YBR_FULL_422 keeps two (luminance pairs share chroma), not three. */
export function samplesStored(p: { samplesPerPixel: number | null; photometricInterpretation: string }): number {
  return p.photometricInterpretation === 'YBR_FULL_422' ? 2 : (p.samplesPerPixel ?? 1);
}

/**
 * One frame of native Pixel Data, read from the stored file at the offsets indexed at ingest. A
 * Pixel Data shorter than its header needs (tolerated, with a warning, at ingest) reads as zeros
 * past its end. Optionally byte-swapped, for big-endian files.
 */
export async function readNativeFrame(file: fs.FileHandle, pixels: NativePixels, frame: number, swapBytes = false): Promise<Buffer> {
  const { bitsAllocated, pixelDataOffset } = pixels;
  const frameBytes = nativeFrameBytes(pixels);
  if (frameBytes === null || pixelDataOffset === null) throw new AppError('NOT_FOUND', 'This instance does not say how its pixels are laid out.');
  if (bitsAllocated === 1 && pixels.frames > 1) throw new AppError('NOT_FOUND', 'Frames of 1-bit multi-frame pixel data are not served yet.');
  const start = pixelDataOffset + (frame - 1) * frameBytes;
  const available = Math.max(0, Math.min(frameBytes, pixelDataOffset + (pixels.pixelDataLength ?? 0) - start));
  const out = Buffer.alloc(frameBytes);
  await file.read(out, 0, available, start);
  if (swapBytes && bitsAllocated === 16) out.swap16();
  if (swapBytes && bitsAllocated === 32) out.swap32();
  return out;
}
