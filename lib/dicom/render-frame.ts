import fs from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { encodePng } from '@/lib/format/encode-png';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { framePixels } from './frame-pixels';
import { PIXEL_DATA } from './read-header';
import { transferSyntaxOf } from './transfer-syntaxes';

export type RenderOptions = {
  frame?: number;
  /** Window center and width in output units (after rescale); default: the file's, else the frame's range. */
  window?: { center: number; width: number };
  /** Fit within this many pixels on the longer side (thumbnails); default: full size. */
  maxSize?: number;
};

export type InstanceForRender = NonNullable<Awaited<ReturnType<typeof findInstance>>>;

async function findInstance(where: { sopInstanceUid: string }) {
  return getDb().instance.findUnique({ where });
}

/**
 * A frame as a PNG for people to look at (WADO-RS /rendered and /thumbnail), scaled down by area
 * averaging. Grayscale images in any syntax framePixels decodes (native, deflated, JPEG, JPEG-LS,
 * JPEG 2000, RLE): modality rescale, a VOI window (linear, PS3.3 C.11.2.1.2), MONOCHROME1 inverted.
 * Uncompressed 8-bit RGB and YBR_FULL images: as RGB. Compressed colour, palette colour and HTJ2K
 * images are left to the viewer (406 here).
 */
export async function renderInstance(sopInstanceUid: string, options: RenderOptions = {}): Promise<Buffer> {
  const row = await findInstance({ sopInstanceUid });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  return renderRow(row, options);
}

/** Whether renderRow can draw this instance: it has pixels, grayscale of 8 or 16 bits, or native 8-bit RGB/YBR_FULL. */
export function canRenderRow(row: InstanceForRender): boolean {
  return row.pixelDataOffset !== null && !!row.rows && !!row.columns && (isGrayscale(row) || isNativeColour(row));
}

export async function renderRow(row: InstanceForRender, { frame = 1, window, maxSize }: RenderOptions): Promise<Buffer> {
  if (row.pixelDataOffset === null || !row.rows || !row.columns) throw new AppError('NOT_ACCEPTABLE', 'This instance has no image to render.');
  if (frame < 1 || frame > row.frames) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);
  const { rows, columns } = row;
  let pixels: Uint8Array;
  let channels: 1 | 3;
  if (isGrayscale(row)) {
    pixels = windowed(row, (await framePixels(row, [frame]))[0]!, window);
    channels = 1;
  } else if (isNativeColour(row)) {
    pixels = toRgb((await framePixels(row, [frame]))[0]!, rows * columns, await planarConfiguration(row), row.photometricInterpretation);
    channels = 3;
  } else {
    throw new AppError('NOT_ACCEPTABLE', 'Grayscale images, and uncompressed 8-bit RGB and YBR_FULL ones, are rendered on the server; open this one in the viewer.');
  }
  const scale = maxSize ? Math.min(1, maxSize / Math.max(rows, columns)) : 1;
  if (scale === 1) return encodePng(pixels, columns, rows, channels);
  const [w, h] = [Math.max(1, Math.round(columns * scale)), Math.max(1, Math.round(rows * scale))];
  return encodePng(downscale(pixels, columns, rows, w, h, channels), w, h, channels);
}

/** Grayscale samples to display values: modality rescale, VOI window (the asked one, the file's, or the range), MONOCHROME1 inverted. */
function windowed(row: InstanceForRender, raw: Buffer, window: RenderOptions['window']): Uint8Array {
  const count = row.rows! * row.columns!;
  const signed = row.pixelRepresentation === 1;
  const slope = row.rescaleSlope ?? 1;
  const intercept = row.rescaleIntercept ?? 0;
  const values = new Float32Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bitsStored = row.bitsStored ?? row.bitsAllocated!;
  const mask = bitsStored >= 16 ? 0xffff : (1 << bitsStored) - 1;
  for (let i = 0; i < count; i++) {
    let v = row.bitsAllocated === 8 ? raw[i]! : view.getUint16(i * 2, true) & mask;
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
  return gray;
}

/** Uncompressed (or deflated) 8-bit colour the server shows as it is: RGB, or YBR_FULL converted to it. */
function isGrayscale(row: InstanceForRender): boolean {
  return /^MONOCHROME[12]$/.test(row.photometricInterpretation) && (row.bitsAllocated === 8 || row.bitsAllocated === 16);
}

function isNativeColour(row: InstanceForRender): boolean {
  const ts = transferSyntaxOf(row.transferSyntaxUid);
  return !!ts && !ts.encapsulated && row.samplesPerPixel === 3 && row.bitsAllocated === 8 && (row.photometricInterpretation === 'RGB' || row.photometricInterpretation === 'YBR_FULL');
}

/** Planar Configuration (0028,0006): 0 samples interleaved (R G B R G B…), 1 one plane per sample. */
async function planarConfiguration(row: InstanceForRender): Promise<number> {
  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated;
  const bytes = await readHead(getBlobStore().pathOf(row.sha256), deflated ? row.size : Math.min(row.size, row.pixelDataOffset!));
  return dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA }).uint16('x00280006') ?? 0;
}

async function readHead(file: string, length: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, 0);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Interleaved RGB from a frame's samples: planes interleaved, YBR_FULL converted (PS3.3 C.7.6.3.1.2). */
function toRgb(raw: Buffer, count: number, planar: number, photometric: string): Uint8Array {
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const [a, b, c] = planar === 1 ? [raw[i]!, raw[count + i]!, raw[2 * count + i]!] : [raw[3 * i]!, raw[3 * i + 1]!, raw[3 * i + 2]!];
    if (photometric === 'YBR_FULL') {
      rgb[3 * i] = clamp(a + 1.402 * (c - 128));
      rgb[3 * i + 1] = clamp(a - 0.344136 * (b - 128) - 0.714136 * (c - 128));
      rgb[3 * i + 2] = clamp(a + 1.772 * (b - 128));
    } else {
      rgb[3 * i] = a;
      rgb[3 * i + 1] = b;
      rgb[3 * i + 2] = c;
    }
  }
  return rgb;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
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

/** Area averaging: each output pixel (each of its `channels` samples) is the mean of the input pixels it covers. */
function downscale(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(dw * dh * channels);
  for (let y = 0; y < dh; y++) {
    const y0 = Math.floor((y * sh) / dh);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / dh));
    for (let x = 0; x < dw; x++) {
      const x0 = Math.floor((x * sw) / dw);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / dw));
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[(yy * sw + xx) * channels + c]!;
        out[(y * dw + x) * channels + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return out;
}
