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
  if (activation === 'argmax') {
    for (let i = 0; i < pixels; i++) {
      let best = 0;
      let bestScore = output[i]!;
      for (let c = 1, at = pixels + i; c < channels; c++, at += pixels) {
        if (output[at]! > bestScore) {
          best = c;
          bestScore = output[at]!;
        }
      }
      out[i] = numberOf[best]!;
    }
    return out;
  }
  // Per channel against the threshold (a sigmoid is monotonic: its logit is compared, not each score
  // exponentiated; `none`: the scores are probabilities already); the highest channel over it wins.
  const cut = activation === 'sigmoid' ? Math.log(threshold / (1 - threshold)) : threshold;
  for (let i = 0; i < pixels; i++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < channels; c++) {
      const score = output[c * pixels + i]!;
      if (score < cut) continue;
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
 * rows × columns class map, in place: specks of noise, bowel gas taken for lung. Returns the pixels
 * cleared. Works on runs of equal pixels along rows (union-find over runs), not pixel by pixel: a
 * segmentation's slice is a few thousand runs.
 */
export function removeSmallComponents(labels: Uint8Array, rows: number, columns: number, minSize: number): number {
  if (minSize <= 1) return 0;
  // Runs of non-zero pixels: row-major, so each row's runs are contiguous in these arrays.
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let count = 0;
  const rowFirst = new Int32Array(rows + 1);
  for (let y = 0; y < rows; y++) {
    rowFirst[y] = count;
    const base = y * columns;
    let x = 0;
    while (x < columns) {
      const cls = labels[base + x]!;
      if (cls === 0) {
        x++;
        continue;
      }
      const begin = x;
      while (x < columns && labels[base + x] === cls) x++;
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[count] = base + begin;
      ends[count] = base + x - 1;
      count++;
    }
  }
  rowFirst[rows] = count;

  const parent = new Int32Array(count);
  const size = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    parent[i] = i;
    size[i] = ends[i]! - starts[i]! + 1;
  }
  const find = (i: number) => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  // Join each run with the runs of the row above that touch it (diagonals included) and share its class.
  for (let y = 1; y < rows; y++) {
    let j = rowFirst[y - 1]!;
    const above = rowFirst[y]!;
    for (let i = rowFirst[y]!; i < rowFirst[y + 1]!; i++) {
      const left = starts[i]! - y * columns - 1;
      const right = ends[i]! - y * columns + 1;
      while (j < above && ends[j]! - (y - 1) * columns < left) j++;
      for (let k = j; k < above && starts[k]! - (y - 1) * columns <= right; k++) {
        if (labels[starts[k]!] !== labels[starts[i]!]) continue;
        const a = find(i);
        const b = find(k);
        if (a !== b) {
          parent[a] = b;
          size[b]! += size[a]!;
        }
      }
    }
  }
  let cleared = 0;
  for (let i = 0; i < count; i++) {
    if (size[find(i)]! >= minSize) continue;
    labels.fill(0, starts[i]!, ends[i]! + 1);
    cleared += ends[i]! - starts[i]! + 1;
  }
  return cleared;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
