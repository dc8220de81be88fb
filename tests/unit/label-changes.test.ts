import { describe, expect, it } from 'vitest';
import { describeLabelChanges } from '@/lib/annotations/describe-label-changes.client';
import { labelChanges } from '@/lib/annotations/label-changes';
import type { PreparedLabel } from '@/lib/annotations/prepare-label';

const box = (id: string, x: number) => ({ id, classId: 'nodule', shape: 'box', seriesInstanceUid: '1.2', sopInstanceUid: '1.2.1', frame: 1, points: [[x, 10], [x + 20, 30]] });
const length = (id: string) => ({ id, kind: 'length', seriesInstanceUid: '1.2', sopInstanceUid: '1.2.1', frame: 1, points: [[0, 0], [5, 5]] });
const content = (regions: unknown[], measurements: unknown[], answers: unknown[]) => JSON.stringify({ regions, measurements, answers });
const label = (json: string, counts: Record<string, number>): PreparedLabel => ({
  schemaVersionId: 's',
  schemaVersion: 1,
  content: json,
  labelmaps: [{ seriesId: 'series-a', seriesInstanceUid: '1.2', layer: 0, columns: 4, rows: 4, slices: 1, rle: Buffer.alloc(0), counts }],
  contentHash: '0'.repeat(64),
});
const SEGMENTS = [
  { value: 1, name: 'Liver' },
  { value: 2, name: 'Lesion' },
];

describe('what a version changed', () => {
  it('counts a first version as everything added', () => {
    const first = labelChanges(null, label(content([box('r1', 0), box('r2', 40)], [length('m1')], [{ questionId: 'quality', choiceIds: ['good'] }]), { 1: 1200 }));
    expect(first).toEqual({
      segments: [{ seriesId: 'series-a', value: 1, before: 0, after: 1200 }],
      regions: { added: 2, removed: 0, edited: 0 },
      measurements: { added: 1, removed: 0, edited: 0 },
      answersChanged: 1,
    });
    expect(describeLabelChanges(first, SEGMENTS)).toEqual(['Liver +1,200 voxels', '2 regions added', '1 measurement added', '1 answer changed']);
  });

  it('tells a moved box from an added one, and a re-answered question from a new one', () => {
    const previous = { content: content([box('r1', 0), box('r2', 40)], [length('m1')], [{ questionId: 'quality', choiceIds: ['good'] }]), labelmaps: [{ seriesId: 'series-a', layer: 0, counts: JSON.stringify({ 1: 1200, 2: 10 }) }] };
    const next = label(content([box('r1', 5), box('r3', 80)], [length('m1')], [{ questionId: 'quality', choiceIds: ['poor'] }]), { 1: 1000, 2: 10 });
    const changes = labelChanges(previous, next);
    expect(changes.regions).toEqual({ added: 1, removed: 1, edited: 1 });
    expect(changes.measurements).toEqual({ added: 0, removed: 0, edited: 0 });
    // One question whose answer changed is one change, not a removal and an addition.
    expect(changes.answersChanged).toBe(1);
    expect(describeLabelChanges(changes, SEGMENTS)).toEqual(['Liver −200 voxels', '1 region added', '1 region edited', '1 region removed', '1 answer changed']);
  });

  it('says "no change" for a version saved again as it was, and reads histories saved before edits were counted', () => {
    const json = content([box('r1', 0)], [], []);
    const same = labelChanges({ content: json, labelmaps: [{ seriesId: 'series-a', layer: 0, counts: JSON.stringify({ 1: 5 }) }] }, label(json, { 1: 5 }));
    expect(describeLabelChanges(same, SEGMENTS)).toEqual(['no change']);
    const older = { segments: [{ seriesId: 'x', value: 7, before: 3, after: 0 }], regions: { added: 0, removed: 2 }, measurements: { added: 0, removed: 0 }, answersChanged: 0 };
    expect(describeLabelChanges(older, SEGMENTS)).toEqual(['Segment 7 −3 voxels', '2 regions removed']);
  });

  it('counts a series over its layers: a segment moved onto an overlap layer is unchanged, one grown there is not', () => {
    const json = content([], [], []);
    const previous = { content: json, labelmaps: [{ seriesId: 'series-a', layer: 0, counts: JSON.stringify({ 1: 1200, 2: 10 }) }] };
    const layer = (n: number, counts: Record<string, number>) => ({ seriesId: 'series-a', seriesInstanceUid: '1.2', layer: n, columns: 4, rows: 4, slices: 1, rle: Buffer.alloc(0), counts });
    const moved = { ...label(json, {}), labelmaps: [layer(0, { 1: 1200 }), layer(1, { 2: 10 })] };
    expect(describeLabelChanges(labelChanges(previous, moved), SEGMENTS)).toEqual(['no change']);
    const grown = { ...label(json, {}), labelmaps: [layer(0, { 1: 1200 }), layer(1, { 2: 25 })] };
    expect(labelChanges(previous, grown).segments).toEqual([{ seriesId: 'series-a', value: 2, before: 10, after: 25 }]);
  });
});
