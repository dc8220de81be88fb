import { describe, expect, it } from 'vitest';
import { flattenLayers, layerOf, layerProblems, mergedCounts, type LayerInfo } from '@/lib/annotations/labelmap-layers.client';

describe('labelmap layers of a series', () => {
  it('says what is wrong with layers that do not fit together', () => {
    expect(layerProblems([{ layer: 0, counts: { 1: 5 } }, { layer: 1, counts: { 2: 3 } }])).toEqual([]);
    expect(layerProblems([{ layer: 1, counts: {} }])).toEqual(['its layers are 1; they must be numbered 0, 1, … without gaps or repeats']);
    expect(layerProblems([{ layer: 0, counts: { 1: 5 } }, { layer: 1, counts: { 1: 2 } }])).toEqual(['segment 1 is on layers 0 and 1; a segment is on one layer']);
  });

  it('finds the layer holding a segment, layer 0 for one held nowhere, and counts over all layers', () => {
    const layers: LayerInfo[] = [{ layer: 0, counts: { 1: 5 } }, { layer: 1, counts: { 2: 3, 4: 1 } }];
    expect([layerOf(layers, 1)?.layer, layerOf(layers, 4)?.layer, layerOf(layers, 9)?.layer]).toEqual([0, 1, 0]);
    expect(mergedCounts(layers)).toEqual({ 1: 5, 2: 3, 4: 1 });
  });

  it('flattens to one label per voxel, the higher-numbered segment where they overlap, leaving the input alone', () => {
    const base = Uint8Array.from([0, 1, 1, 3, 0]);
    const over = Uint8Array.from([2, 2, 0, 2, 0]);
    expect([...flattenLayers([base, over])]).toEqual([2, 2, 1, 3, 0]);
    expect([...base]).toEqual([0, 1, 1, 3, 0]);
    expect(flattenLayers([base])).toBe(base);
    expect(() => flattenLayers([base, new Uint8Array(4)])).toThrow(RangeError);
  });
});
