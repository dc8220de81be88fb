/** Colour spaces colourToRgb reads (after decoding: JPEG's YCbCr already comes out as RGB). */
const COLOUR_SPACES = new Set(['RGB', 'YBR_FULL', 'YBR_FULL_422']);

export type ColourFrame = {
  samples: Buffer;
  photometricInterpretation: string;
  planarConfiguration: number;
  rows: number;
  columns: number;
  /** 8 or 16. */
  bitsAllocated: number;
  bitsStored: number;
};

/** Whether colourToRgb can show a frame in this colour space and sample size. */
export function canShowColour(photometricInterpretation: string, bitsAllocated: number | null): boolean {
  return COLOUR_SPACES.has(photometricInterpretation) && (bitsAllocated === 8 || bitsAllocated === 16);
}

/**
 * Interleaved 8-bit RGB for display from three-sample colour: planes interleaved, YBR_FULL and
 * YBR_FULL_422 converted (PS3.3 C.7.6.3.1.2), 16-bit samples scaled down from Bits Stored.
 */
export function colourToRgb(frame: ColourFrame): Uint8Array {
  const { samples, photometricInterpretation: pi, planarConfiguration, rows, columns, bitsAllocated } = frame;
  const count = rows * columns;
  const shift = Math.max(0, Math.min(frame.bitsStored || bitsAllocated, bitsAllocated) - 8);
  const at = bitsAllocated === 16 ? (i: number) => samples.readUInt16LE(2 * i) >> shift : (i: number) => samples[i]!;
  const rgb = new Uint8Array(count * 3);
  for (let p = 0; p < count; p++) {
    let a: number, b: number, c: number;
    if (pi === 'YBR_FULL_422') {
      // Two stored samples per pixel: each pair of pixels is Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
      const pair = p >> 1;
      [a, b, c] = [at(4 * pair + (p & 1)), at(4 * pair + 2), at(4 * pair + 3)];
    } else if (planarConfiguration === 1) {
      [a, b, c] = [at(p), at(count + p), at(2 * count + p)];
    } else {
      [a, b, c] = [at(3 * p), at(3 * p + 1), at(3 * p + 2)];
    }
    if (pi === 'RGB') {
      rgb[3 * p] = a;
      rgb[3 * p + 1] = b;
      rgb[3 * p + 2] = c;
    } else {
      rgb[3 * p] = clamp(a + 1.402 * (c - 128));
      rgb[3 * p + 1] = clamp(a - 0.344136 * (b - 128) - 0.714136 * (c - 128));
      rgb[3 * p + 2] = clamp(a + 1.772 * (b - 128));
    }
  }
  return rgb;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
