/**
 * "rle1": the run-length codec segmentation labelmaps are stored and sent in. A labelmap is one
 * byte per voxel (0 background, 1–255 a segment class value), x fastest, then y, then slice; a
 * 512×512×300 CT is 78.6 M voxels and almost all background, so its runs take a few kilobytes.
 *
 * The encoding is a sequence of runs, each an unsigned LEB128 varint (the run length, ≥ 1) and one
 * byte (the value). It is canonical: adjacent runs differ in value, lengths are minimally encoded
 * and the runs cover exactly the volume, so a labelmap has one encoding and equal labelmaps have
 * equal bytes (and hashes). Pure and dependency-free: the viewer encodes in the browser, the server
 * validates with the same code. Volumes hold at most 2^32 − 1 voxels (one run must fit in 32 bits).
 */

/** A labelmap payload that is not valid rle1 for the volume it claims to fill. */
export class LabelmapFormatError extends Error {
  override name = 'LabelmapFormatError';
}

const MAX_RUN = 0xffffffff;
// A 32-bit length takes at most 5 varint bytes (7 bits each).
const MAX_VARINT_BYTES = 5;
// Worst case for one run: 5 varint bytes and the value byte.
const MAX_RUN_BYTES = MAX_VARINT_BYTES + 1;

function checkVoxelCount(voxelCount: number): void {
  if (!Number.isInteger(voxelCount) || voxelCount < 0 || voxelCount > MAX_RUN) {
    throw new RangeError(`A labelmap has 0 to ${MAX_RUN} voxels, not ${voxelCount}.`);
  }
}

/**
 * Encodes a labelmap as rle1. One pass over the voxels, comparing four at a time inside long runs;
 * the output buffer starts small and doubles, so a mostly empty volume costs little more than the
 * scan (about 40 ms for 512×512×300 in Node).
 */
export function encodeLabelmapRle(voxels: Uint8Array): Uint8Array {
  const n = voxels.length;
  checkVoxelCount(n);
  // A 32-bit view of the voxels from the first 4-byte-aligned one: long runs (background, mostly)
  // are skipped a word at a time, which halves the encode time of a typical labelmap.
  const head = Math.min(n, (4 - (voxels.byteOffset & 3)) & 3);
  const wordCount = (n - head) >>> 2;
  const words = wordCount ? new Uint32Array(voxels.buffer, voxels.byteOffset + head, wordCount) : new Uint32Array(0);
  let out = new Uint8Array(Math.min(4096, n * MAX_RUN_BYTES) + MAX_RUN_BYTES);
  let o = 0;
  let i = 0;
  while (i < n) {
    const value = voxels[i]!;
    let j = i + 1;
    while (j < n && voxels[j] === value) {
      if (((j - head) & 3) === 0) {
        // Aligned: skip words that are four copies of the value, then finish byte by byte.
        const pattern = value * 0x01010101;
        let w = (j - head) >>> 2;
        while (w < wordCount && words[w] === pattern) w++;
        j = head + w * 4;
        while (j < n && voxels[j] === value) j++;
        break;
      }
      j++;
    }
    if (o + MAX_RUN_BYTES > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    let length = j - i;
    while (length >= 0x80) {
      out[o++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    out[o++] = length;
    out[o++] = value;
    i = j;
  }
  // A copy, not a view: what is stored or sent should not pin the spare capacity.
  return out.slice(0, o);
}

/**
 * Reads an rle1 payload run by run, validating as it goes; decoding, summarising and comparing
 * labelmaps all walk runs through it, so they reject exactly the same payloads. A manual iterator
 * rather than a generator: merging two labelmaps calls `next` once per run, and this stays fast.
 *
 * After `next()` returns true, `value` and `length` describe the current run, which covers voxels
 * `end - length` up to (not including) `end`. `next()` returns false once the runs cover exactly
 * `voxelCount` voxels and the payload is used up; it throws LabelmapFormatError on anything else.
 */
export class LabelmapRunReader {
  /** Value of the current run; -1 before the first. */
  value = -1;
  /** Length of the current run. */
  length = 0;
  /** Voxels covered so far, the current run included. */
  end = 0;
  /** Runs read so far. */
  runs = 0;
  private offset = 0;

  constructor(
    private readonly rle: Uint8Array,
    readonly voxelCount: number,
  ) {
    checkVoxelCount(voxelCount);
  }

  next(): boolean {
    const rle = this.rle;
    const size = rle.length;
    let p = this.offset;
    if (p >= size) {
      if (this.end < this.voxelCount) throw new LabelmapFormatError(`Labelmap ends early: ${this.end} voxels encoded, volume has ${this.voxelCount}.`);
      return false;
    }
    const at = `Run ${this.runs + 1} (byte ${p})`;
    let length = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === MAX_VARINT_BYTES) throw new LabelmapFormatError(`${at}: run length varint is longer than ${MAX_VARINT_BYTES} bytes.`);
      if (p >= size) throw new LabelmapFormatError(`${at}: run length varint is truncated at the end of the payload.`);
      const b = rle[p++]!;
      // Multiplying, not shifting: a fifth byte would overflow 32-bit bitwise arithmetic.
      length += (b & 0x7f) * scale;
      scale *= 0x80;
      if (b < 0x80) {
        // A trailing zero byte adds nothing: the same length has a shorter encoding.
        if (b === 0 && i > 0) throw new LabelmapFormatError(`${at}: run length varint is not minimally encoded.`);
        break;
      }
    }
    if (length > MAX_RUN) throw new LabelmapFormatError(`${at}: run length ${length} is more than 2^32 − 1.`);
    if (length === 0) throw new LabelmapFormatError(`${at}: run length is zero.`);
    if (p >= size) throw new LabelmapFormatError(`${at}: value byte is missing at the end of the payload.`);
    const value = rle[p++]!;
    if (value === this.value) throw new LabelmapFormatError(`${at}: not canonical, it has the same value (${value}) as the run before it.`);
    const end = this.end + length;
    if (end > this.voxelCount) throw new LabelmapFormatError(`${at} covers voxels outside the volume: ${end} voxels encoded, volume has ${this.voxelCount}.`);
    this.offset = p;
    this.value = value;
    this.length = length;
    this.end = end;
    this.runs++;
    return true;
  }
}

/**
 * Decodes an rle1 payload into `voxelCount` voxels, into `into` when given (which must have exactly
 * that length). Throws LabelmapFormatError when the payload is malformed or does not fill the volume;
 * `into` is then left untouched, because the payload is validated before anything is written.
 */
export function decodeLabelmapRle(rle: Uint8Array, voxelCount: number, into?: Uint8Array): Uint8Array {
  checkVoxelCount(voxelCount);
  if (into && into.length !== voxelCount) throw new RangeError(`Cannot decode ${voxelCount} voxels into an array of ${into.length}.`);
  // Reading the runs is cheap next to filling voxels, so validate fully before touching a caller's array.
  if (into) summarizeLabelmapRle(rle, voxelCount);
  const voxels = into ?? new Uint8Array(voxelCount);
  const runs = new LabelmapRunReader(rle, voxelCount);
  // A fresh array is already zero: only non-background runs need writing into it.
  while (runs.next()) if (runs.value !== 0 || into) voxels.fill(runs.value, runs.end - runs.length, runs.end);
  return voxels;
}

/** What an rle1 payload holds, read without decoding it. */
export type LabelmapRleSummary = {
  /** Voxels per non-zero value present, in ascending value order. */
  counts: Map<number, number>;
  /** The highest value present; 0 when the labelmap is all background. */
  maxValue: number;
  /** Number of runs. */
  runs: number;
};

/**
 * Validates an rle1 payload exactly as decoding would and counts voxels per value, without
 * allocating the volume: how the server checks an upload against the label schema and the series
 * size in O(runs) instead of decoding tens of millions of voxels.
 */
export function summarizeLabelmapRle(rle: Uint8Array, voxelCount: number): LabelmapRleSummary {
  const reader = new LabelmapRunReader(rle, voxelCount);
  const perValue = new Float64Array(256);
  while (reader.next()) perValue[reader.value]! += reader.length;
  const counts = new Map<number, number>();
  let maxValue = 0;
  for (let v = 1; v < 256; v++) {
    const count = perValue[v]!;
    if (count > 0) {
      counts.set(v, count);
      maxValue = v;
    }
  }
  return { counts, maxValue, runs: reader.runs };
}

/** The rle1 encoding of an empty (all background) labelmap, without allocating its voxels. */
export function emptyLabelmapRle(voxelCount: number): Uint8Array {
  checkVoxelCount(voxelCount);
  if (voxelCount === 0) return new Uint8Array(0);
  const bytes: number[] = [];
  let n = voxelCount;
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n, 0);
  return Uint8Array.from(bytes);
}
