import type { ModelManifest } from './manifest';

/**
 * The class of each pixel of one image from the model's output for it, as 1 + the class's position
 * in the manifest's list (0: none): `scores` (channels × pixels, channel-major) through argmax (a
 * pixel whose best channel is not a listed class is none; a softmax picks the same) or a sigmoid per channel against the
 * threshold (the highest channel over it wins); `labels` by their value. With `classValues`, each class
 * number is written as classValues[number] instead (a project's segment values: no second pass).
 */
export function classesOf(output: Float32Array, channels: number, pixels: number, manifest: ModelManifest, out: Uint8Array, classValues?: Uint8Array): Uint8Array {
  // Channel (or label value) → class number (or the value written for it).
  const numberOf = new Uint8Array(256);
  manifest.output.classes.forEach((c, k) => (numberOf[c.index] = classValues ? classValues[k + 1]! : k + 1));
  const { activation, threshold } = manifest.postprocessing;
  if (manifest.output.kind === 'labels') {
    for (let i = 0; i < pixels; i++) out[i] = numberOf[output[i]! & 255]!;
    return out;
  }
  // A softmax keeps each pixel's best channel: the same as an argmax.
  if (activation === 'argmax' || activation === 'softmax') {
    if (channels <= 4) argmaxUpTo4(output, channels, pixels, numberOf, out);
    else argmaxChannelByChannel(output, channels, pixels, numberOf, out);
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
 * The best channel of each pixel, for up to four channels (most segmentation models): each channel
 * read as its own contiguous view, the missing ones standing in as channel 0 (never better than
 * itself), so one loop without branches on the channel count.
 */
function argmaxUpTo4(output: Float32Array, channels: number, pixels: number, numberOf: Uint8Array, out: Uint8Array): void {
  const view = (c: number) => output.subarray((c < channels ? c : 0) * pixels, ((c < channels ? c : 0) + 1) * pixels);
  const s0 = view(0);
  const s1 = view(1);
  const s2 = view(2);
  const s3 = view(3);
  for (let i = 0; i < pixels; i++) {
    let best = 0;
    let score = s0[i]!;
    if (s1[i]! > score) {
      best = 1;
      score = s1[i]!;
    }
    if (s2[i]! > score) {
      best = 2;
      score = s2[i]!;
    }
    if (s3[i]! > score) best = 3;
    out[i] = numberOf[best]!;
  }
}

/** The best channel of each pixel, channel by channel (each a contiguous run, not pixels far apart in memory). */
function argmaxChannelByChannel(output: Float32Array, channels: number, pixels: number, numberOf: Uint8Array, out: Uint8Array): void {
  const best = bestScores(pixels);
  best.set(output.subarray(0, pixels));
  out.fill(0, 0, pixels);
  for (let c = 1; c < channels; c++) {
    const scores = output.subarray(c * pixels, (c + 1) * pixels);
    for (let i = 0; i < pixels; i++) {
      if (scores[i]! > best[i]!) {
        best[i] = scores[i]!;
        out[i] = c;
      }
    }
  }
  for (let i = 0; i < pixels; i++) out[i] = numberOf[out[i]!]!;
}

let scratch = new Float32Array(0);

/** The best score so far per pixel: one buffer reused slice after slice (a volume's gets its own). */
function bestScores(pixels: number): Float32Array {
  if (pixels > 1 << 22) return new Float32Array(pixels);
  if (scratch.length < pixels) scratch = new Float32Array(pixels);
  return scratch.subarray(0, pixels);
}

/**
 * Clears connected components (8-connected, per class) smaller than `minSize` pixels of a
 * rows × columns class map, in place: specks of noise, bowel gas taken for lung. Returns the pixels
 * cleared. Works on runs of equal pixels along rows (union-find over runs), not pixel by pixel: a
 * segmentation's slice is a few thousand runs.
 */
export function removeSmallComponents(labels: Uint8Array, rows: number, columns: number, minSize: number): number {
  if (minSize <= 1) return 0;
  const runs = new LabelRuns(labels, rows, columns);
  // Each row's runs with those of the row above that touch them, diagonals included.
  for (let y = 1; y < rows; y++) runs.join(y, y - 1, 1);
  return runs.clearSmallerThan(minSize);
}

/**
 * Clears 3D connected components (6-connected: faces only, per class) smaller than `minVoxels` of a
 * slice-major slices × rows × columns class map, in place: what a 3D model's per-volume
 * `minComponentVoxels` means, so a structure thin in one slice but connected through its
 * neighbours survives. Returns the voxels cleared. Memory grows with the runs, not the volume (flat
 * indices: under 2³¹ voxels).
 */
export function removeSmallComponents3d(classes: Uint8Array, slices: number, rows: number, columns: number, minVoxels: number): number {
  if (minVoxels <= 1) return 0;
  const lines = slices * rows;
  const runs = new LabelRuns(classes, lines, columns);
  for (let line = 0; line < lines; line++) {
    if (line % rows > 0) runs.join(line, line - 1, 0); // the row above
    if (line >= rows) runs.join(line, line - rows, 0); // the same row, a slice before
  }
  return runs.clearSmallerThan(minVoxels);
}

/**
 * The runs of equal non-zero labels along each line (a row of an image, or of one slice of a volume)
 * of a class map, as union-find sets: connected components found run by run, not pixel by pixel.
 */
class LabelRuns {
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private readonly lineFirst: Int32Array;
  private readonly count: number;
  private readonly parent: Int32Array;
  private readonly size: Float64Array;

  constructor(
    private readonly labels: Uint8Array,
    lines: number,
    private readonly columns: number,
  ) {
    // Flat first and last indices of each run, line by line: each line's runs are contiguous.
    let count = 0;
    this.lineFirst = new Int32Array(lines + 1);
    for (let line = 0; line < lines; line++) {
      this.lineFirst[line] = count;
      const base = line * columns;
      let x = 0;
      while (x < columns) {
        const cls = labels[base + x]!;
        if (cls === 0) {
          x++;
          continue;
        }
        const begin = x;
        while (x < columns && labels[base + x] === cls) x++;
        if (count === this.starts.length) {
          this.starts = grow(this.starts);
          this.ends = grow(this.ends);
        }
        this.starts[count] = base + begin;
        this.ends[count] = base + x - 1;
        count++;
      }
    }
    this.lineFirst[lines] = count;
    this.count = count;
    this.parent = new Int32Array(count);
    this.size = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      this.parent[i] = i;
      this.size[i] = this.ends[i]! - this.starts[i]! + 1;
    }
  }

  private find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  }

  /** Joins each run of `line` with the runs of `other` of its class that share columns with it, widened by `reach` (1: diagonals touch). */
  join(line: number, other: number, reach: number): void {
    const { starts, ends, lineFirst, labels, parent, size } = this;
    const shift = (line - other) * this.columns;
    let j = lineFirst[other]!;
    const end = lineFirst[other + 1]!;
    for (let i = lineFirst[line]!; i < lineFirst[line + 1]!; i++) {
      const first = starts[i]! - shift - reach;
      const last = ends[i]! - shift + reach;
      while (j < end && ends[j]! < first) j++;
      for (let k = j; k < end && starts[k]! <= last; k++) {
        if (labels[starts[k]!] !== labels[starts[i]!]) continue;
        const a = this.find(i);
        const b = this.find(k);
        if (a === b) continue;
        // The smaller tree under the larger keeps paths short.
        const [small, large] = size[a]! < size[b]! ? [a, b] : [b, a];
        parent[small] = large;
        size[large]! += size[small]!;
      }
    }
  }

  /** Clears the runs of every component smaller than `min`; returns how many labels were cleared. */
  clearSmallerThan(min: number): number {
    let cleared = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.size[this.find(i)]! >= min) continue;
      this.labels.fill(0, this.starts[i]!, this.ends[i]! + 1);
      cleared += this.ends[i]! - this.starts[i]! + 1;
    }
    return cleared;
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
