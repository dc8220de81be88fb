/** What the RLE decoder needs from the header. */
export type RleFrameLayout = {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** 8, 16 or 32. */
  bitsAllocated: number;
  /** 0: samples interleaved (R G B R G B…), 1: one plane per sample: the layout the native frame takes. */
  planarConfiguration: number;
};

/**
 * One RLE Lossless frame (PS3.5 Annex G) as native little-endian samples. The frame holds one
 * PackBits segment per byte of each sample, most significant byte first, sample by sample; each
 * segment decodes to one byte per pixel. Missing or short segments are an error, not zeros.
 */
export function decodeRle(frame: Uint8Array, layout: RleFrameLayout): Buffer {
  const { rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration } = layout;
  const pixels = rows * columns;
  const bytesPerSample = bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample) || bytesPerSample < 1) throw new Error(`RLE frames of ${bitsAllocated}-bit samples are not defined.`);
  if (frame.length < 64) throw new Error('The RLE header is truncated.');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== samplesPerPixel * bytesPerSample) {
    throw new Error(`The RLE frame has ${segments} segments; ${samplesPerPixel} samples of ${bytesPerSample} bytes need ${samplesPerPixel * bytesPerSample}.`);
  }
  const out = Buffer.alloc(pixels * samplesPerPixel * bytesPerSample);
  // Where byte b (0 = most significant) of sample s of pixel p goes in the little-endian native frame.
  const pixelStride = planarConfiguration === 1 ? bytesPerSample : samplesPerPixel * bytesPerSample;
  for (let segment = 0; segment < segments; segment++) {
    const sample = Math.floor(segment / bytesPerSample);
    const byte = bytesPerSample - 1 - (segment % bytesPerSample);
    const first = planarConfiguration === 1 ? sample * pixels * bytesPerSample + byte : sample * bytesPerSample + byte;
    const start = view.getUint32(4 + 4 * segment, true);
    const end = segment + 1 < segments ? view.getUint32(8 + 4 * segment, true) : frame.length;
    if (start < 64 || end < start || end > frame.length) throw new Error(`RLE segment ${segment + 1} lies outside the frame.`);
    unpackBits(frame, start, end, out, first, pixelStride, pixels, segment + 1);
  }
  return out;
}

/** PackBits (PS3.5 G.3.1): a header byte n of 0..127 copies n+1 bytes, -127..-1 repeats the next byte 1-n times, -128 does nothing. */
function unpackBits(src: Uint8Array, start: number, end: number, out: Buffer, first: number, stride: number, count: number, segment: number): void {
  let at = start;
  let written = 0;
  while (written < count && at < end) {
    const n = (src[at++]! << 24) >> 24;
    if (n >= 0) {
      const length = Math.min(n + 1, end - at, count - written);
      for (let i = 0; i < length; i++) out[first + (written + i) * stride] = src[at + i]!;
      at += n + 1;
      written += length;
    } else if (n !== -128) {
      if (at >= end) break;
      const value = src[at++]!;
      const length = Math.min(1 - n, count - written);
      for (let i = 0; i < length; i++) out[first + (written + i) * stride] = value;
      written += length;
    }
  }
  if (written < count) throw new Error(`RLE segment ${segment} ends after ${written} of ${count} pixels.`);
}
