import { describe, expect, it } from 'vitest';
import { interpolateLabelmap } from '@/lib/annotations/interpolate-labelmap.client';

const N = 64;
const disc = (voxels: Uint8Array, k: number, r: number, value: number, cx = 32, cy = 32) => {
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) voxels[k * N * N + y * N + x] = value;
};
const count = (voxels: Uint8Array, k: number, value: number) => voxels.subarray(k * N * N, (k + 1) * N * N).filter((v) => v === value).length;

describe('interpolateLabelmap', () => {
  it('grows a disc of radius 8 on slice 0 into radius 16 on slice 4, linearly in between', () => {
    const v = new Uint8Array(N * N * 5);
    disc(v, 0, 8, 1);
    disc(v, 4, 16, 1);
    const before = [count(v, 0, 1), count(v, 4, 1)];
    expect(interpolateLabelmap(v, N, N, 5, 1)).toBeGreaterThan(0);
    // The labeled slices are untouched; slice k has a disc of radius 8 + 2k (area within a pixel ring).
    expect([count(v, 0, 1), count(v, 4, 1)]).toEqual(before);
    for (const k of [1, 2, 3]) {
      const r = 8 + 2 * k;
      expect(Math.abs(count(v, k, 1) - Math.PI * r * r)).toBeLessThan(2 * Math.PI * r);
    }
  });

  it('follows a shape that moves, and leaves other segments and unlabeled ends alone', () => {
    const v = new Uint8Array(N * N * 6);
    disc(v, 1, 10, 2, 24, 32);
    disc(v, 5, 10, 2, 40, 32);
    disc(v, 3, 3, 1, 32, 40); // another segment where the interpolated shape passes
    const other = count(v, 3, 1);
    interpolateLabelmap(v, N, N, 6, 2);
    expect(count(v, 0, 2)).toBe(0); // before the first labeled slice: nothing
    expect(count(v, 3, 1)).toBe(other); // never overwritten
    // Halfway, the disc is halfway: centred at x = 32, spanning 22..42 on its middle row.
    const row = v.subarray(3 * N * N + 32 * N, 3 * N * N + 33 * N);
    expect([row[20], row[23], row[32], row[41], row[44]]).toEqual([0, 2, 2, 2, 0]);
  });

  it('does nothing with fewer than two labeled slices, and refuses a wrong size', () => {
    const v = new Uint8Array(N * N * 3);
    disc(v, 1, 5, 1);
    expect(interpolateLabelmap(v, N, N, 3, 1)).toBe(0);
    expect(() => interpolateLabelmap(v, N, N, 4, 1)).toThrow(RangeError);
  });
});
