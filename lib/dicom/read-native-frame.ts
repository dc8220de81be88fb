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

/** Where frames are read from: the stored file, or the inflated bytes of a deflated one. */
export type PositionalReader = { read(buffer: Buffer, offset: number, length: number, position: number): Promise<unknown> };

/** Bytes already in memory (a deflated file, inflated), read as a file would be. */
export function bufferReader(bytes: Uint8Array): PositionalReader {
  return {
    async read(buffer, offset, length, position) {
      buffer.set(bytes.subarray(position, position + length), offset);
    },
  };
}

/**
 * One frame of native Pixel Data, read from the stored file at the offsets indexed at ingest. A
 * Pixel Data shorter than its header needs (tolerated, with a warning, at ingest) reads as zeros
 * past its end. Optionally byte-swapped, for big-endian files. 1-bit frames (segmentations) need not
 * start on a byte boundary (PS3.5 §8.1.1): each comes out shifted to start on one, its last byte
 * zero-padded.
 */
export async function readNativeFrame(file: PositionalReader, pixels: NativePixels, frame: number, swapBytes = false): Promise<Buffer> {
  const { bitsAllocated, pixelDataOffset } = pixels;
  const frameBytes = nativeFrameBytes(pixels);
  if (frameBytes === null || pixelDataOffset === null) throw new AppError('NOT_FOUND', 'This instance does not say how its pixels are laid out.');
  const end = pixelDataOffset + (pixels.pixelDataLength ?? 0);
  const read = async (position: number, length: number) => {
    const out = Buffer.alloc(length);
    const available = Math.max(0, Math.min(length, end - position));
    if (available > 0) await file.read(out, 0, available, position);
    return out;
  };
  if (bitsAllocated === 1) {
    const bits = pixels.rows! * pixels.columns! * samplesStored(pixels);
    const first = (frame - 1) * bits;
    const shift = first % 8;
    const raw = await read(pixelDataOffset + Math.floor(first / 8), frameBytes + 1);
    const out = Buffer.alloc(frameBytes);
    // The first pixel is bit 0 of the first byte (little endian bit order).
    for (let i = 0; i < frameBytes; i++) out[i] = ((raw[i]! >> shift) | (raw[i + 1]! << (8 - shift))) & 0xff;
    if (bits % 8) out[frameBytes - 1]! &= (1 << (bits % 8)) - 1;
    return out;
  }
  const start = pixelDataOffset + (frame - 1) * frameBytes;
  // 8-bit samples in an OW value are byte-swapped in pairs in big endian: whole words are read and swapped.
  if (swapBytes && bitsAllocated === 8 && (await pixelDataVr(file, pixelDataOffset)) === 'OW') {
    const skew = (start - pixelDataOffset) % 2;
    const words = await read(start - skew, frameBytes + skew + ((frameBytes + skew) % 2));
    return Buffer.from(words.swap16().subarray(skew, skew + frameBytes));
  }
  const out = await read(start, frameBytes);
  if (swapBytes && bitsAllocated === 16) out.swap16();
  if (swapBytes && bitsAllocated === 32) out.swap32();
  return out;
}

/** The VR of an explicit-VR Pixel Data element, from its header just before the value. */
async function pixelDataVr(file: PositionalReader, pixelDataOffset: number): Promise<string> {
  const vr = Buffer.alloc(2);
  await file.read(vr, 0, 2, pixelDataOffset - 8);
  return vr.toString('latin1');
}
