/**
 * Which values a labelmap holds, slice by slice. A labelmap is mostly background: blocks of zeros are
 * recognized by a memcmp against zeros (Buffer#compare) and skipped, so only the labeled part of a
 * 512×512×300 labelmap is read value by value.
 */
const BLOCK = 4096;
const ZEROS = Buffer.alloc(BLOCK);

/** For each non-zero value, the slices (ascending) that hold it; slices are `frameSize` voxels each. */
export function slicesPerValue(labelmap: Uint8Array, frameSize: number, slices: number): Map<number, number[]> {
  const present = new Map<number, number[]>();
  const seen = new Uint8Array(256);
  const bytes = asBuffer(labelmap);
  for (let s = 0; s < slices; s++) {
    seen.fill(0);
    markValues(bytes, s * frameSize, (s + 1) * frameSize, seen);
    for (let v = 1; v < 256; v++) {
      if (!seen[v]) continue;
      const list = present.get(v);
      if (list) list.push(s);
      else present.set(v, [s]);
    }
  }
  return present;
}

/** The non-zero values the labelmap holds, ascending. */
export function labelmapValues(labelmap: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  markValues(asBuffer(labelmap), 0, labelmap.length, seen);
  const values: number[] = [];
  for (let v = 1; v < 256; v++) if (seen[v]) values.push(v);
  return values;
}

/** Sets `seen[v]` for every value v in bytes[start, end) that is not in an all-zero block. */
function markValues(bytes: Buffer, start: number, end: number, seen: Uint8Array): void {
  for (let block = start; block < end; block += BLOCK) {
    const blockEnd = Math.min(block + BLOCK, end);
    if (ZEROS.compare(bytes, block, blockEnd, 0, blockEnd - block) === 0) continue;
    for (let i = block; i < blockEnd; i++) seen[bytes[i]!] = 1;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
