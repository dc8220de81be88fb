import type { ModelManifest } from './manifest';

/**
 * The class of each pixel of one image from the model's output for it, as 1 + the class's position
 * in the manifest's list (0: none): `scores` (channels × pixels, channel-major) through argmax (a
 * pixel whose best channel is not a listed class is none) or a sigmoid per channel against the
 * threshold (the highest channel over it wins); `labels` by their value.
 */
export function classesOf(output: Float32Array, channels: number, pixels: number, manifest: ModelManifest, out: Uint8Array): Uint8Array {
  // Channel (or label value) → class number.
  const numberOf = new Uint8Array(256);
  manifest.output.classes.forEach((c, k) => (numberOf[c.index] = k + 1));
  const { activation, threshold } = manifest.postprocessing;
  if (manifest.output.kind === 'labels') {
    for (let i = 0; i < pixels; i++) out[i] = numberOf[output[i]! & 255]!;
    return out;
  }
  // A sigmoid is monotonic: compare logits with the threshold's logit rather than exponentiate each.
  const logitThreshold = Math.log(threshold / (1 - threshold));
  for (let i = 0; i < pixels; i++) {
    let best = activation === 'argmax' ? 0 : -1;
    let bestScore = activation === 'argmax' ? output[i]! : -Infinity;
    for (let c = activation === 'argmax' ? 1 : 0; c < channels; c++) {
      const score = output[c * pixels + i]!;
      if (activation !== 'argmax' && score < (activation === 'sigmoid' ? logitThreshold : threshold)) continue;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    out[i] = best >= 0 ? numberOf[best]! : 0;
  }
  return out;
}

/**
 * Clears connected components (8-connected, per class) smaller than `minSize` pixels of a
 * rows × columns class map, in place: specks of noise, bowel gas taken for lung. Returns the pixels cleared.
 */
export function removeSmallComponents(labels: Uint8Array, rows: number, columns: number, minSize: number): number {
  if (minSize <= 1) return 0;
  const seen = new Uint8Array(labels.length);
  const stack = new Int32Array(labels.length);
  const component: number[] = [];
  let cleared = 0;
  for (let start = 0; start < labels.length; start++) {
    const cls = labels[start]!;
    if (cls === 0 || seen[start]) continue;
    component.length = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top]!;
      component.push(p);
      const y = (p / columns) | 0;
      const x = p - y * columns;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= columns) continue;
          const q = ny * columns + nx;
          if (!seen[q] && labels[q] === cls) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    if (component.length < minSize) {
      for (const p of component) labels[p] = 0;
      cleared += component.length;
    }
  }
  return cleared;
}
