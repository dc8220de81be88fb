import { AppError } from '@/lib/errors/app-error';
import type { ModelManifest } from './manifest';

/** A box in pixel coordinates [x1, y1, x2, y2] (columns, rows; x1 ≤ x2, y1 ≤ y2). */
export type Box = [number, number, number, number];
/** A detected box, its score and its class (the output's class index, as the manifest lists it). */
export type Detection = { box: Box; score: number; classIndex: number };

/**
 * The detections in one image's output (`dims` without the batch: [K, F] for NKF, [F, K] for NFK),
 * in the model's input pixels, as the manifest's box layout says. Boxes of classes the manifest does
 * not list, or with no area, are dropped; nothing is thresholded or suppressed yet.
 */
export function decodeDetections(data: Float32Array, dims: readonly number[], manifest: ModelManifest): Detection[] {
  const layout = manifest.output.boxes;
  if (!layout) throw new AppError('CONFLICT', `${manifest.name} has no box layout in its manifest.`);
  if (dims.length !== 2) throw new AppError('CONFLICT', `${manifest.name}'s boxes output has ${dims.length + 1} dimensions; a detection output is [batch, K, F] or [batch, F, K].`);
  const [k, f] = layout.layout === 'NKF' ? [dims[0]!, dims[1]!] : [dims[1]!, dims[0]!];
  const listed = new Set(manifest.output.classes.map((c) => c.index));
  const highest = Math.max(...listed);
  const need = layout.scores === 'score-class' ? 6 : 5 + highest;
  if (f < need) throw new AppError('CONFLICT', `${manifest.name}'s detections have ${f} values each; its manifest needs ${need} (four for the box, then ${layout.scores === 'score-class' ? 'a score and a class' : `one score per class up to ${highest}`}).`);
  const at = layout.layout === 'NKF' ? (i: number, j: number) => data[i * f + j]! : (i: number, j: number) => data[j * k + i]!;
  const [rows, columns] = manifest.input.size as [number, number];
  const [sx, sy] = layout.coordinates === 'normalized' ? [columns, rows] : [1, 1];
  const found: Detection[] = [];
  for (let i = 0; i < k; i++) {
    let score: number;
    let classIndex: number;
    if (layout.scores === 'score-class') {
      score = at(i, 4);
      classIndex = Math.round(at(i, 5));
    } else {
      classIndex = -1;
      score = -Infinity;
      for (const c of listed) {
        const s = at(i, 4 + c);
        if (s > score) [score, classIndex] = [s, c];
      }
    }
    if (!listed.has(classIndex) || !Number.isFinite(score)) continue;
    const [a, b, c, d] = [at(i, 0), at(i, 1), at(i, 2), at(i, 3)];
    const box: Box = layout.format === 'xyxy' ? [a, b, c, d] : [a - c / 2, b - d / 2, a + c / 2, b + d / 2];
    const [x1, y1, x2, y2] = [Math.min(box[0], box[2]) * sx, Math.min(box[1], box[3]) * sy, Math.max(box[0], box[2]) * sx, Math.max(box[1], box[3]) * sy];
    if (x2 - x1 > 0 && y2 - y1 > 0) found.push({ box: [x1, y1, x2, y2], score, classIndex });
  }
  return found;
}

/** Intersection over union of two boxes (0 when either has no area). */
export function boxIou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression per class (as torchvision's batched_nms): boxes scoring under
 * `score` are dropped; of the rest, best first, a box overlapping a kept box of its class by more
 * than `iou` is dropped. At most `max` boxes are kept, best first.
 */
export function nonMaxSuppression(detections: readonly Detection[], { iou, score, max }: { iou: number; score: number; max: number }): Detection[] {
  const candidates = detections.filter((d) => d.score >= score).sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of candidates) {
    if (kept.length === max) break;
    if (kept.some((k) => k.classIndex === d.classIndex && boxIou(k.box, d.box) > iou)) continue;
    kept.push(d);
  }
  return kept;
}

/**
 * The boxes the manifest keeps from one image's output, in the image's own pixels (the model's input
 * was the image resampled to its size, pixel centres aligned), clamped to the image.
 */
export function detectionsOf(data: Float32Array, dims: readonly number[], manifest: ModelManifest, image: { rows: number; columns: number }): Detection[] {
  const { nms, threshold, maxDetections } = manifest.postprocessing;
  // Without NMS (a post-NMS export), boxes are only thresholded.
  const kept = nonMaxSuppression(decodeDetections(data, dims, manifest), { iou: nms?.iou ?? 1, score: nms?.score ?? threshold, max: maxDetections });
  const [rows, columns] = manifest.input.size as [number, number];
  const sx = image.columns / columns;
  const sy = image.rows / rows;
  const clamp = (v: number, high: number) => Math.min(high, Math.max(0, v));
  return kept.map((d) => ({ ...d, box: [clamp(d.box[0] * sx, image.columns), clamp(d.box[1] * sy, image.rows), clamp(d.box[2] * sx, image.columns), clamp(d.box[3] * sy, image.rows)] }));
}
