import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeLabelmapRle, encodeLabelmapRle, LabelmapFormatError, summarizeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { seededRandom as random } from '@/models/seeded-random';

// Unsigned LEB128 the textbook way: seven bits at a time, low first, high bit set on all but the last.
function leb128(n: number): number[] {
  const bytes: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    bytes.push(n > 0 ? low + 128 : low);
  } while (n > 0);
  return bytes;
}

// The reference the codec is checked against: runs found one voxel at a time into a plain array.
// Slow, obvious, and sharing no code with the module.
function naiveEncode(voxels: Uint8Array): Uint8Array {
  const bytes: number[] = [];
  let start = 0;
  for (let i = 1; i <= voxels.length; i++) {
    if (i === voxels.length || voxels[i] !== voxels[start]) {
      bytes.push(...leb128(i - start), voxels[start]!);
      start = i;
    }
  }
  return Uint8Array.from(bytes);
}

function naiveCounts(voxels: Uint8Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of voxels) if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].sort(([x], [y]) => x - y));
}

// Buffer.compare rather than toEqual: the large cases have hundreds of millions of voxels.
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

function expectRoundTrip(voxels: Uint8Array): Uint8Array {
  const rle = encodeLabelmapRle(voxels);
  expect(same(rle, naiveEncode(voxels))).toBe(true);
  expect(same(decodeLabelmapRle(rle, voxels.length), voxels)).toBe(true);
  const into = new Uint8Array(voxels.length).fill(99);
  expect(decodeLabelmapRle(rle, voxels.length, into)).toBe(into);
  expect(same(into, voxels)).toBe(true);
  const summary = summarizeLabelmapRle(rle, voxels.length);
  expect(summary.counts).toEqual(naiveCounts(voxels));
  expect(summary.maxValue).toBe(Math.max(0, ...summary.counts.keys()));
  return rle;
}

describe('labelmap rle1', () => {
  it('encodes runs as a LEB128 length and a value byte', () => {
    expect([...encodeLabelmapRle(Uint8Array.from([0, 0, 0, 1, 1, 2]))]).toEqual([3, 0, 2, 1, 1, 2]);
    // 300 = 0b10_0101100: low seven bits with the continuation bit, then the rest.
    expect([...encodeLabelmapRle(new Uint8Array(300))]).toEqual([0xac, 0x02, 0]);
    expect([...encodeLabelmapRle(new Uint8Array(0))]).toEqual([]);
    expect(decodeLabelmapRle(new Uint8Array(0), 0)).toEqual(new Uint8Array(0));
    expect(summarizeLabelmapRle(Uint8Array.from([3, 0, 2, 1, 1, 2]), 6)).toEqual({ counts: new Map([[1, 2], [2, 1]]), maxValue: 2, runs: 3 });
  });

  it('round-trips edge cases: all zero, all one value, one voxel, every value', () => {
    expect(expectRoundTrip(new Uint8Array(1000))).toEqual(Uint8Array.from([0xe8, 0x07, 0]));
    expect(expectRoundTrip(new Uint8Array(1000).fill(255))).toEqual(Uint8Array.from([0xe8, 0x07, 255]));
    expect(expectRoundTrip(Uint8Array.from([7]))).toEqual(Uint8Array.from([1, 7]));
    expect(expectRoundTrip(Uint8Array.from([0]))).toEqual(Uint8Array.from([1, 0]));
    // Each of the 256 values once, then each in a run as long as the value plus one.
    const each = Uint8Array.from({ length: 256 }, (_, v) => v);
    expect(expectRoundTrip(each)).toHaveLength(512);
    const runs = Uint8Array.from(Array.from({ length: 256 }, (_, v) => Array<number>(v + 1).fill(v)).flat());
    expect(summarizeLabelmapRle(expectRoundTrip(runs), runs.length)).toMatchObject({ maxValue: 255, runs: 256 });
  });

  it('round-trips random sparse, dense and blocky labelmaps, at any length and byte offset', () => {
    const rand = random(1);
    for (let trial = 0; trial < 40; trial++) {
      const length = Math.floor(rand() * 5000);
      const kind = trial % 3;
      // Views into a larger buffer at offsets 0–3: the encoder reads aligned words inside runs.
      const offset = trial % 4;
      const voxels = new Uint8Array(length + offset + 3).subarray(offset, offset + length);
      for (let i = 0; i < length; ) {
        if (kind === 0) {
          voxels[i++] = rand() < 0.02 ? 1 + Math.floor(rand() * 5) : 0;
        } else if (kind === 1) {
          voxels[i++] = Math.floor(rand() * 256);
        } else {
          const value = rand() < 0.5 ? 0 : Math.floor(rand() * 256);
          voxels.fill(value, i, (i += 1 + Math.floor(rand() * 300)));
        }
      }
      expectRoundTrip(voxels);
    }
  });

  it('writes lengths across every varint size boundary, up to 2^28', () => {
    const boundaries: [number, number][] = [[127, 1], [128, 2], [16383, 2], [16384, 3], [2 ** 21 - 1, 3], [2 ** 21, 4], [2 ** 28 - 1, 4], [2 ** 28, 5]];
    // One buffer for all: a fresh 256 MiB array costs a second of page faults on first touch.
    const buffer = new Uint8Array(2 ** 28 + 1);
    for (const [length, varintBytes] of boundaries) {
      buffer[length] = 9;
      const voxels = buffer.subarray(0, length + 1);
      const rle = encodeLabelmapRle(voxels);
      expect(leb128(length)).toHaveLength(varintBytes);
      expect([...rle]).toEqual([...leb128(length), 0, 1, 9]);
      expect(summarizeLabelmapRle(rle, voxels.length)).toEqual({ counts: new Map([[9, 1]]), maxValue: 9, runs: 2 });
      const decoded = decodeLabelmapRle(rle, voxels.length);
      expect([decoded[0], decoded[length - 1], decoded[length]]).toEqual([0, 0, 9]);
      if (length <= 2 ** 21) expect(same(decoded, voxels)).toBe(true);
      buffer[length] = 0;
    }
    // The longest run there is, 2^32 − 1 voxels: summarised without allocating them.
    expect(summarizeLabelmapRle(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 3]), 2 ** 32 - 1)).toEqual({ counts: new Map([[3, 2 ** 32 - 1]]), maxValue: 3, runs: 1 });
  });

  it('round-trips a 512×512×300 volume with a painted sphere, in under 0.1% of its size', () => {
    const [X, Y, Z] = [512, 512, 300];
    const voxels = new Uint8Array(X * Y * Z);
    const painted = new Map<number, number>();
    const [cx, cy, cz] = [260, 200, 140];
    for (let z = cz - 40; z <= cz + 40; z++) {
      for (let y = cy - 40; y <= cy + 40; y++) {
        for (let x = cx - 40; x <= cx + 40; x++) {
          const d2 = (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2;
          if (d2 > 40 * 40) continue;
          // A nodule (2) inside the lesion (1): two classes, runs of both within a row.
          const value = d2 <= 12 * 12 ? 2 : 1;
          voxels[(z * Y + y) * X + x] = value;
          painted.set(value, (painted.get(value) ?? 0) + 1);
        }
      }
    }
    const rle = encodeLabelmapRle(voxels);
    expect(rle.length).toBeLessThan(voxels.length * 0.001);
    expect(same(decodeLabelmapRle(rle, voxels.length), voxels)).toBe(true);
    const summary = summarizeLabelmapRle(rle, voxels.length);
    expect(summary.counts).toEqual(new Map([[1, painted.get(1)], [2, painted.get(2)]]));
    expect(summary.maxValue).toBe(2);
  });

  it('rejects malformed payloads with LabelmapFormatError saying what is wrong', () => {
    const cases: [bytes: number[], voxelCount: number, message: RegExp][] = [
      [[0x80], 128, /Run 1 \(byte 0\): run length varint is truncated/],
      [[4, 0, 0x80, 0x80], 8, /Run 2 \(byte 2\): run length varint is truncated/],
      [[0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0], 2 ** 32 - 1, /run length varint is longer than 5 bytes/],
      [[0x80, 0x80, 0x80, 0x80, 0x10, 0], 2 ** 32 - 1, /run length 4294967296 is more than 2\^32 − 1/],
      [[0x84, 0x00, 0], 4, /run length varint is not minimally encoded/],
      [[0x00, 0], 4, /Run 1 \(byte 0\): run length is zero/],
      [[2, 0, 0, 1], 4, /Run 2 \(byte 2\): run length is zero/],
      [[5, 0], 4, /covers voxels outside the volume: 5 voxels encoded, volume has 4/],
      [[4, 0, 1, 1], 4, /Run 2 \(byte 2\) covers voxels outside the volume: 5 voxels encoded, volume has 4/],
      [[3, 0], 4, /ends early: 3 voxels encoded, volume has 4/],
      [[], 4, /ends early: 0 voxels encoded, volume has 4/],
      [[2, 1, 2, 1], 4, /Run 2 \(byte 2\): not canonical, it has the same value \(1\) as the run before it/],
      [[4], 4, /value byte is missing/],
      [[0x84, 0x01], 132, /value byte is missing/],
    ];
    for (const [bytes, voxelCount, message] of cases) {
      const rle = Uint8Array.from(bytes);
      expect(() => summarizeLabelmapRle(rle, voxelCount), message.source).toThrow(LabelmapFormatError);
      expect(() => summarizeLabelmapRle(rle, voxelCount)).toThrow(message);
      // Decoding allocates: only where the volume is small.
      if (voxelCount <= 1000) {
        expect(() => decodeLabelmapRle(rle, voxelCount)).toThrow(message);
        const into = new Uint8Array(voxelCount).fill(7);
        expect(() => decodeLabelmapRle(rle, voxelCount, into)).toThrow(message);
        // Validated before written: a bad payload leaves the caller's array as it was.
        expect(into.every((v) => v === 7)).toBe(true);
      }
    }
    const error = (() => {
      try {
        decodeLabelmapRle(Uint8Array.from([3, 0]), 4);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LabelmapFormatError' });
  });

  it('refuses impossible volume sizes and a destination of the wrong length', () => {
    expect(() => decodeLabelmapRle(new Uint8Array(0), -1)).toThrow(RangeError);
    expect(() => decodeLabelmapRle(new Uint8Array(0), 1.5)).toThrow(RangeError);
    expect(() => summarizeLabelmapRle(Uint8Array.from([1, 0]), 2 ** 32)).toThrow(RangeError);
    expect(() => decodeLabelmapRle(Uint8Array.from([4, 0]), 4, new Uint8Array(5))).toThrow(/Cannot decode 4 voxels into an array of 5/);
  });
});
