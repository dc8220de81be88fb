import type { LabelmapView } from '@/lib/annotations/get-annotation';
import { decodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { base64ToBytes } from './base64.client';

/** A series' saved labelmap layers (layer 0 first), decoded; none when the series has no labelmap. */
export function decodeSeriesLayers(labelmaps: readonly LabelmapView[], seriesUid: string): Uint8Array[] {
  return labelmaps
    .filter((l) => l.seriesInstanceUid === seriesUid)
    .sort((a, b) => a.layer - b.layer)
    .map((l) => decodeLabelmapRle(base64ToBytes(l.rle), l.columns * l.rows * l.slices));
}
