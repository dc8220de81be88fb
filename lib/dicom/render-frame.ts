import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { encodePng } from '@/lib/format/encode-png';
import { framePixels } from './frame-pixels';

export type RenderOptions = {
  frame?: number;
  /** Window center and width in output units (after rescale); default: the file's, else the frame's range. */
  window?: { center: number; width: number };
  /** Fit within this many pixels on the longer side (thumbnails); default: full size. */
  maxSize?: number;
};

type InstanceForRender = NonNullable<Awaited<ReturnType<typeof findInstance>>>;

async function findInstance(where: { sopInstanceUid: string }) {
  return getDb().instance.findUnique({ where });
}

/**
 * A frame as a PNG for people to look at (WADO-RS /rendered and /thumbnail): modality rescale, a VOI
 * window (linear, PS3.3 C.11.2.1.2), MONOCHROME1 inverted, scaled down by area averaging. Grayscale
 * images in any syntax framePixels decodes (native, deflated, JPEG, JPEG-LS, JPEG 2000, RLE); colour
 * and HTJ2K images are decoded in the viewer (406 here).
 */
export async function renderInstance(sopInstanceUid: string, options: RenderOptions = {}): Promise<Buffer> {
  const row = await findInstance({ sopInstanceUid });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  return renderRow(row, options);
}

export async function renderRow(row: InstanceForRender, { frame = 1, window, maxSize }: RenderOptions): Promise<Buffer> {
  if (!/^MONOCHROME[12]$/.test(row.photometricInterpretation) || row.pixelDataOffset === null) {
    throw new AppError('NOT_ACCEPTABLE', 'Only grayscale images are rendered on the server; open it in the viewer.');
  }
  if (!row.rows || !row.columns || (row.bitsAllocated !== 8 && row.bitsAllocated !== 16)) {
    throw new AppError('NOT_ACCEPTABLE', 'This image\'s pixel layout is not rendered on the server; open it in the viewer.');
  }
  if (frame < 1 || frame > row.frames) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);
  const [raw] = await framePixels(row, [frame]);
  const { rows, columns } = row;
  const count = rows * columns;
  const signed = row.pixelRepresentation === 1;
  const slope = row.rescaleSlope ?? 1;
  const intercept = row.rescaleIntercept ?? 0;
  const values = new Float32Array(count);
  const view = new DataView(raw!.buffer, raw!.byteOffset, raw!.byteLength);
  const bitsStored = row.bitsStored ?? row.bitsAllocated;
  const mask = bitsStored >= 16 ? 0xffff : (1 << bitsStored) - 1;
  for (let i = 0; i < count; i++) {
    let v = row.bitsAllocated === 8 ? raw![i]! : view.getUint16(i * 2, true) & mask;
    if (signed && v & (1 << (bitsStored - 1))) v -= 1 << bitsStored; // sign-extend from Bits Stored
    values[i] = v * slope + intercept;
  }
  const voi = window ?? (row.windowCenter !== null && row.windowWidth !== null && row.windowWidth > 0 ? { center: row.windowCenter, width: row.windowWidth } : range(values));
  const { center } = voi;
  const width = Math.max(voi.width, 1);
  const gray = new Uint8Array(count);
  const low = center - 0.5 - (width - 1) / 2;
  const invert = row.photometricInterpretation === 'MONOCHROME1';
  for (let i = 0; i < count; i++) {
    const v = Math.round(Math.min(1, Math.max(0, (values[i]! - low) / (width - 1))) * 255);
    gray[i] = invert ? 255 - v : v;
  }
  const scale = maxSize ? Math.min(1, maxSize / Math.max(rows, columns)) : 1;
  if (scale === 1) return encodePng(gray, columns, rows, 1);
  const [w, h] = [Math.max(1, Math.round(columns * scale)), Math.max(1, Math.round(rows * scale))];
  return encodePng(downscale(gray, columns, rows, w, h), w, h, 1);
}

/** A window covering the frame's range, for images that name none. */
function range(values: Float32Array): { center: number; width: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { center: (min + max) / 2, width: Math.max(1, max - min) };
}

/** Area averaging: each output pixel is the mean of the input pixels it covers. */
function downscale(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const y0 = Math.floor((y * sh) / dh);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / dh));
    for (let x = 0; x < dw; x++) {
      const x0 = Math.floor((x * sw) / dw);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / dw));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[yy * sw + xx]!;
      out[y * dw + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}
