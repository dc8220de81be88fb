/**
 * Scratch buffers reused between series: the same memory comes back for the same size, and a NIfTI
 * made in reused memory is byte for byte the one made in fresh memory.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { niftiSeriesExport } from '@/lib/datasets/export/nifti-series-export';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { giveBackBuffer, keptBufferBytes, takeBuffer } from '@/lib/storage/reusable-buffers';

describe('reusable buffers', () => {
  it('hands a buffer given back to the next taker of its size, and a fresh one otherwise', () => {
    const first = takeBuffer(4096);
    giveBackBuffer(first);
    giveBackBuffer(first); // twice is once
    expect(keptBufferBytes()).toBe(4096);
    expect(takeBuffer(8192)).not.toBe(first);
    expect(takeBuffer(4096)).toBe(first);
    expect(takeBuffer(4096)).not.toBe(first);
    expect(keptBufferBytes()).toBe(0);
    giveBackBuffer(new SharedArrayBuffer(16));
    expect(keptBufferBytes()).toBe(0);
  });

  it('gives the same NIfTI from reused memory as from fresh memory, for another series of the same size too', async () => {
    const a = syntheticCtSeries({ slices: 3, seed: 1 });
    const b = syntheticCtSeries({ slices: 3, seed: 2 });
    const voxels = (seed: number) => Uint8Array.from({ length: 512 * 512 * 3 }, (_, i) => ((i * seed) % 977 === 0 ? 1 : 0));
    const exportOf = async (files: Uint8Array[], seed: number) => {
      const result = await niftiSeriesExport({ instances: files, labelmap: { voxels: voxels(seed), columns: 512, rows: 512, slices: 3 } });
      if ('skipped' in result) throw new Error(result.skipped);
      return { image: zlib.gunzipSync(result.image), label: zlib.gunzipSync(result.label!) };
    };
    const freshA = await exportOf(a, 3);
    expect(keptBufferBytes()).toBeGreaterThanOrEqual(512 * 512 * 3 * 2); // the volume went back
    const freshB = await exportOf(b, 5); // in A's memory
    const againA = await exportOf(a, 3); // in B's
    expect(againA.image.equals(freshA.image)).toBe(true);
    expect(againA.label.equals(freshA.label)).toBe(true);
    expect(freshB.image.equals(freshA.image)).toBe(false);
  });
});
