import fs from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { encodeJpeg } from '@/lib/format/encode-jpeg';
import { encodePng } from '@/lib/format/encode-png';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodedPhotometric } from './codecs/decode-frame';
import { canShowColour, colourToRgb } from './colour-to-rgb';
import { canReadFrames, frameSamples } from './frame-pixels';
import { paletteToRgb, readPalette } from './palette-colour';
import { PIXEL_DATA } from './read-header';
import { isJpipReferenced } from './jpip-referenced';
import { transferSyntaxOf } from './transfer-syntaxes';

export type RenderOptions = {
  frame?: number;
  /** Window center and width in output units (after rescale); default: the file's, else the frame's range. */
  window?: { center: number; width: number };
  /** Fit within this many pixels on the longer side (thumbnails); default: full size. */
  maxSize?: number;
  /** PNG (lossless, the default) or JPEG at `quality` (1–100, default 90). */
  format?: 'png' | 'jpeg';
  quality?: number;
};

export type InstanceForRender = NonNullable<Awaited<ReturnType<typeof findInstance>>>;

async function findInstance(where: { sopInstanceUid: string }) {
  return getDb().instance.findUnique({ where });
}

/**
 * A frame as a PNG (or JPEG) for people to look at (WADO-RS /rendered and /thumbnail), scaled down by area
 * averaging, from any stored form the server reads (native, deflated, and every codec of
 * lib/dicom/codecs). Grayscale: modality rescale, a VOI window (linear, PS3.3 C.11.2.1.2),
 * MONOCHROME1 inverted. Colour (RGB, YBR_FULL, YBR_FULL_422, and what JPEG and JPEG 2000 decode
 * to RGB; 8 or 16 bits) and palette colour: as RGB.
 */
export async function renderInstance(sopInstanceUid: string, options: RenderOptions = {}): Promise<Buffer> {
  const row = await findInstance({ sopInstanceUid });
  if (!row) throw new AppError('NOT_FOUND', 'No such instance.');
  return renderRow(row, options);
}

/** Whether renderRow can draw this instance: it has pixels, in a form the server reads, grayscale or colour it shows. */
export function canRenderRow(row: InstanceForRender): boolean {
  return (row.pixelDataOffset !== null || isJpipReferenced(row.transferSyntaxUid)) && !!row.rows && !!row.columns && canReadFrames(row) && (isGrayscale(row) || isColour(row) || isPalette(row));
}

export async function renderRow(row: InstanceForRender, { frame = 1, window, maxSize, format = 'png', quality }: RenderOptions): Promise<Buffer> {
  if ((row.pixelDataOffset === null && !isJpipReferenced(row.transferSyntaxUid)) || !row.rows || !row.columns) throw new AppError('NOT_ACCEPTABLE', 'This instance has no image to render.');
  if (frame < 1 || frame > row.frames) throw new AppError('BAD_REQUEST', `Frames are numbered 1 to ${row.frames}.`);
  if (!canRenderRow(row)) {
    const form = `${transferSyntaxOf(row.transferSyntaxUid)?.name ?? row.transferSyntaxUid}, ${row.photometricInterpretation || 'no Photometric Interpretation'}, ${row.bitsAllocated ?? '?'}-bit`;
    throw new AppError('NOT_ACCEPTABLE', `This image (${form}) is not rendered on the server; open this one in the viewer.`);
  }
  const { rows, columns } = row;
  const [decoded] = await frameSamples(row, [frame]);
  let pixels: Uint8Array;
  let channels: 1 | 3 = 3;
  if (isGrayscale(row)) {
    pixels = windowed(row, decoded!.samples, window);
    channels = 1;
  } else if (isPalette(row)) {
    const signed = row.pixelRepresentation === 1;
    let palette;
    try {
      palette = readPalette(await readHeader(row), signed);
    } catch (err) {
      throw new AppError('NOT_ACCEPTABLE', `${(err as Error).message} Open this one in the viewer.`);
    }
    pixels = paletteToRgb(decoded!.samples, rows * columns, row.bitsAllocated!, signed, palette);
  } else {
    pixels = colourToRgb({ ...decoded!, rows, columns, bitsAllocated: row.bitsAllocated!, bitsStored: row.bitsStored ?? row.bitsAllocated! });
  }
  const scale = maxSize ? Math.min(1, maxSize / Math.max(rows, columns)) : 1;
  const [w, h] = scale === 1 ? [columns, rows] : [Math.max(1, Math.round(columns * scale)), Math.max(1, Math.round(rows * scale))];
  const image = scale === 1 ? pixels : downscale(pixels, columns, rows, w, h, channels);
  return format === 'jpeg' ? encodeJpeg(image, w, h, channels, quality) : encodePng(image, w, h, channels);
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

function isGrayscale(row: InstanceForRender): boolean {
  return /^MONOCHROME[12]$/.test(row.photometricInterpretation) && (row.bitsAllocated === 8 || row.bitsAllocated === 16);
}

/** Three-sample colour, in the colour space it decodes to. */
function isColour(row: InstanceForRender): boolean {
  return row.samplesPerPixel === 3 && canShowColour(decodedPhotometric(row.transferSyntaxUid, row.photometricInterpretation), row.bitsAllocated);
}

function isPalette(row: InstanceForRender): boolean {
  return row.photometricInterpretation === 'PALETTE COLOR' && (row.samplesPerPixel ?? 1) === 1 && (row.bitsAllocated === 8 || row.bitsAllocated === 16);
}

/** The header before Pixel Data (a deflated file's inflated), where the palette is. */
async function readHeader(row: InstanceForRender) {
  const deflated = transferSyntaxOf(row.transferSyntaxUid)?.deflated;
  const handle = await fs.open(getBlobStore().pathOf(row.sha256), 'r');
  try {
    const bytes = Buffer.alloc(deflated ? row.size : Math.min(row.size, row.pixelDataOffset!));
    await handle.read(bytes, 0, bytes.length, 0);
    return dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA });
  } finally {
    await handle.close();
  }
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
