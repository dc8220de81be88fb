import { describe, expect, it } from 'vitest';
import { labelmapValues, slicesPerValue } from '@/lib/annotations/labelmap-values';

/** The same answers, read voxel by voxel. */
function naiveSlicesPerValue(labelmap: Uint8Array, frameSize: number, slices: number): Map<number, number[]> {
  const present = new Map<number, number[]>();
  for (let s = 0; s < slices; s++) {
    const values = new Set(labelmap.subarray(s * frameSize, (s + 1) * frameSize));
    for (const v of [...values].sort((a, b) => a - b)) if (v) present.set(v, [...(present.get(v) ?? []), s]);
  }
  return present;
}

function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('labelmap values', () => {
  it('finds every value and its slices in sparse labelmaps whose slices do not line up with the scan blocks', () => {
    const random = seeded(7);
    for (const [columns, rows, slices] of [
      [100, 100, 7],
      [512, 512, 3],
      [33, 17, 40],
    ] as const) {
      const frameSize = columns * rows;
      const labelmap = new Uint8Array(frameSize * slices);
      for (let n = 0; n < 60; n++) labelmap[Math.floor(random() * labelmap.length)] = 1 + Math.floor(random() * 255);
      // Edges: first voxel, last voxel, the last voxel of a slice and the first of the next.
      labelmap[0] = 3;
      labelmap[labelmap.length - 1] = 200;
      labelmap[frameSize - 1] = 9;
      labelmap[frameSize] = 10;
      expect(slicesPerValue(labelmap, frameSize, slices)).toEqual(naiveSlicesPerValue(labelmap, frameSize, slices));
      expect(labelmapValues(labelmap)).toEqual([...new Set(labelmap)].filter((v) => v).sort((a, b) => a - b));
    }
  });

  it('reads a labelmap that is a view into a larger buffer, at an odd offset, and nothing outside it', () => {
    const whole = new Uint8Array(5000 + 2 * 4099);
    whole.fill(77, 0, 5000);
    whole.fill(88, 5000 + 4099);
    const labelmap = whole.subarray(5000, 5000 + 4099);
    expect(labelmapValues(labelmap)).toEqual([]);
    labelmap[4098] = 5;
    labelmap[1] = 4;
    expect(labelmapValues(labelmap)).toEqual([4, 5]);
    expect(slicesPerValue(labelmap, 4099, 1)).toEqual(new Map([[4, [0]], [5, [0]]]));
  });

  it('finds nothing in an empty labelmap', () => {
    expect(labelmapValues(new Uint8Array(512 * 512 * 4))).toEqual([]);
    expect(slicesPerValue(new Uint8Array(0), 0, 0).size).toBe(0);
  });
});
