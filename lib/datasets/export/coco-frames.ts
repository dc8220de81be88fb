import { bufferSource } from '@/lib/dicom/byte-source';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { encodePng } from '@/lib/format/encode-png';
import { decodeInstance, SeriesVolumeError, type DecodedFrame } from './series-volume';

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
 * ones the labels file names): each wanted frame, or why it cannot be drawn (colour image, a syntax
 * not decoded here). Instances with no wanted frame are not decoded.
 */
export async function cocoFrames(instances: readonly Uint8Array[], wanted: Iterable<{ sopInstanceUid: string; frame: number }>): Promise<Map<string, DecodedFrame | string>> {
  const keys = new Set([...wanted].map((w) => frameKey(w.sopInstanceUid, w.frame)));
  const sops = new Set([...keys].map((k) => k.slice(0, k.lastIndexOf('/'))));
  const found = new Map<string, DecodedFrame | string>();
  for (const bytes of instances) {
    let sop: string;
    try {
      sop = (await readDicomHeader(bufferSource(bytes))).sopInstanceUid;
    } catch {
      continue; // not readable: its regions are reported as having no image
    }
    if (!sops.has(sop)) continue;
    try {
      for (const frame of (await decodeInstance(bytes)).frames) {
        const key = frameKey(sop, frame.frame);
        if (keys.has(key)) found.set(key, frame);
      }
    } catch (err) {
      if (!(err instanceof SeriesVolumeError)) throw err;
      for (const key of keys) if (key.startsWith(`${sop}/`)) found.set(key, err.message);
    }
  }
  return found;
}
