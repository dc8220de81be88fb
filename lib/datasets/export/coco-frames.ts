import { bufferSource } from '@/lib/dicom/byte-source';
import { decodedPhotometric } from '@/lib/dicom/codecs/decode-frame';
import { canShowColour, colourToRgb } from '@/lib/dicom/colour-to-rgb';
import { canReadFrames, readFrames } from '@/lib/dicom/frame-pixels';
import { readDataSet, readDicomHeader, type DicomHeader } from '@/lib/dicom/read-header';
import { bufferReader } from '@/lib/dicom/read-native-frame';
import { encodePng } from '@/lib/format/encode-png';
import { decodeInstance, SeriesVolumeError, type DecodedFrame } from './series-volume';

/** A frame regions are drawn on: its size, and its PNG (encoded only when a region of it is exported). */
export type CocoFrame = { columns: number; rows: number; png: () => Buffer };

/** How a frame is looked up: its SOP Instance UID and 1-based frame number. */
export function frameKey(sopInstanceUid: string, frame: number): string {
  return `${sopInstanceUid}/${frame}`;
}

/**
 * A frame as 8-bit grey for people and detectors: modality values (Rescale applied) through a linear
 * VOI window (PS3.3 C.11.2.1.2.1), the given one, else the frame's Window Center/Width, else its full
 * range; MONOCHROME1 inverted so bright is dense, as viewers show it. Same mapping as /rendered.
 */
export function windowedGray(frame: DecodedFrame, window: { center: number; width: number } | null = frame.window): Uint8Array {
  const { samples, rescale } = frame;
  const { slope, intercept } = rescale;
  const count = samples.length;
  let voi = window;
  if (!voi) {
    const a = frame.range[0] * slope + intercept;
    const b = frame.range[1] * slope + intercept;
    // Lowest value black, highest white: the linear function's low end at min, its span max − min.
    voi = { center: (Math.min(a, b) + Math.max(a, b)) / 2 + 0.5, width: Math.abs(b - a) + 1 };
  }
  const { center } = voi;
  const width = Math.max(voi.width, 1);
  const low = center - 0.5 - (width - 1) / 2;
  const span = Math.max(width - 1, 1e-6);
  const gray = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = Math.round(Math.min(1, Math.max(0, (samples[i]! * slope + intercept - low) / span)) * 255);
    gray[i] = frame.monochrome1 ? 255 - v : v;
  }
  return gray;
}

/** A frame as a windowed 8-bit greyscale PNG. */
export function framePng(frame: DecodedFrame): Buffer {
  return encodePng(windowedGray(frame), frame.columns, frame.rows, 1);
}

/**
 * The frames regions are drawn on, decoded from a study's de-identified instances (their UIDs are the
 * ones the labels file names): each wanted frame, or why it cannot be drawn (a syntax not decoded
 * here, pixels neither greyscale nor colour). Greyscale frames are windowed to 8 bits (framePng);
 * colour ones (RGB, YBR, and what codecs and video decode to RGB: ultrasound, endoscopy, photographs)
 * are kept in colour. Instances with no wanted frame are not decoded.
 */
export async function cocoFrames(instances: readonly Uint8Array[], wanted: Iterable<{ sopInstanceUid: string; frame: number }>): Promise<Map<string, CocoFrame | string>> {
  const keys = new Set([...wanted].map((w) => frameKey(w.sopInstanceUid, w.frame)));
  const sops = new Set([...keys].map((k) => k.slice(0, k.lastIndexOf('/'))));
  const found = new Map<string, CocoFrame | string>();
  for (const bytes of instances) {
    let header: DicomHeader;
    try {
      header = await readDicomHeader(bufferSource(bytes));
    } catch {
      continue; // not readable: its regions are reported as having no image
    }
    const sop = header.sopInstanceUid;
    if (!sops.has(sop)) continue;
    const numbers = [...keys].filter((k) => k.startsWith(`${sop}/`)).map((k) => Number(k.slice(k.lastIndexOf('/') + 1)));
    try {
      if ((header.instance.samplesPerPixel ?? 1) === 3) {
        for (const [i, frame] of (await colourFrames(bytes, header, numbers)).entries()) found.set(frameKey(sop, numbers[i]!), frame);
        continue;
      }
      for (const frame of (await decodeInstance(bytes)).frames) {
        const key = frameKey(sop, frame.frame);
        if (keys.has(key)) found.set(key, { columns: frame.columns, rows: frame.rows, png: () => framePng(frame) });
      }
    } catch (err) {
      if (!(err instanceof SeriesVolumeError)) throw err;
      for (const n of numbers) found.set(frameKey(sop, n), err.message);
    }
  }
  return found;
}

/** Frames of a colour instance (numbered from 1, within its Number of Frames) as RGB PNGs, the way /rendered draws them. */
async function colourFrames(bytes: Uint8Array, header: DicomHeader, numbers: number[]): Promise<CocoFrame[]> {
  const { instance, transferSyntax, pixelData } = header;
  const { rows, columns, bitsAllocated, photometricInterpretation } = instance;
  const which = `Instance ${header.sopInstanceUid}`;
  if (!pixelData || !rows || !columns) throw new SeriesVolumeError('pixels', `${which} has no image.`);
  if (!canReadFrames({ transferSyntaxUid: transferSyntax.uid }) || !canShowColour(decodedPhotometric(transferSyntax.uid, photometricInterpretation), bitsAllocated)) {
    throw new SeriesVolumeError('undecodable', `${which} (${transferSyntax.name}, ${photometricInterpretation}, ${bitsAllocated}-bit) is not decoded on the server.`);
  }
  const dataSet = await readDataSet(bufferSource(bytes));
  const source = {
    rows,
    columns,
    samplesPerPixel: 3,
    bitsAllocated,
    bitsStored: instance.bitsStored,
    photometricInterpretation,
    pixelDataOffset: pixelData.offset,
    pixelDataLength: pixelData.encapsulated ? null : pixelData.length,
    frames: instance.frames,
    transferSyntaxUid: transferSyntax.uid,
  };
  let decoded;
  try {
    // A deflated file's Pixel Data offsets are in its inflated data set, as the parser gave it (as at ingest).
    decoded = await readFrames(bufferReader(transferSyntax.deflated ? dataSet.byteArray : bytes), source, numbers, dataSet.uint16('x00280006') ?? 0);
  } catch (err) {
    throw new SeriesVolumeError('undecodable', `${which} (${transferSyntax.name}) could not be decoded: ${(err as Error).message}`);
  }
  return decoded.map((frame) => ({ columns, rows, png: () => encodePng(colourToRgb({ ...frame, rows, columns, bitsAllocated: bitsAllocated!, bitsStored: instance.bitsStored ?? bitsAllocated! }), columns, rows, 3) }));
}
