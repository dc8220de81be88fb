import { describe, expect, it } from 'vitest';
import { labelsKey } from '@/components/viewer/labeling/labels-key';

const box = (id: string, x: number) => ({ id, shape: 'box', classId: 'nodule', seriesInstanceUid: '1.2.3', points: [[x, 1], [x + 5, 6]] });
const base = {
  baseVersion: 3,
  schemaVersion: 1,
  content: { regions: [box('a', 1), box('b', 9)], measurements: [], answers: [{ questionId: 'q', choiceIds: ['yes'] }] },
  labelmaps: [
    { seriesInstanceUid: '1.2.3', columns: 4, rows: 4, slices: 2, rle: 'AAEC' },
    { seriesInstanceUid: '1.2.4', columns: 4, rows: 4, slices: 2, rle: 'AQID' },
  ],
  proposals: [],
};

describe('labelsKey', () => {
  it('is the same whatever order the labels and their fields come in', () => {
    const reordered = {
      proposals: [],
      labelmaps: [{ rle: 'AQID', slices: 2, rows: 4, columns: 4, seriesInstanceUid: '1.2.4' }, base.labelmaps[0]!],
      content: { answers: base.content.answers, measurements: [], regions: [{ ...box('b', 9) }, { points: [[1, 1], [6, 6]], seriesInstanceUid: '1.2.3', classId: 'nodule', shape: 'box', id: 'a' }] },
      schemaVersion: 1,
      baseVersion: 3,
    };
    expect(labelsKey(reordered as never)).toBe(labelsKey(base as never));
  });

  it('differs for any change in what would be stored', () => {
    const key = labelsKey(base as never);
    expect(labelsKey({ ...base, baseVersion: 4 } as never)).not.toBe(key);
    expect(labelsKey({ ...base, content: { ...base.content, regions: [box('a', 2), box('b', 9)] } } as never)).not.toBe(key);
    expect(labelsKey({ ...base, labelmaps: [base.labelmaps[0]!, { ...base.labelmaps[1]!, rle: 'AQIE' }] } as never)).not.toBe(key);
    expect(labelsKey({ ...base, content: { ...base.content, answers: [] } } as never)).not.toBe(key);
    // A region's points in another order is another region.
    expect(labelsKey({ ...base, content: { ...base.content, regions: [{ ...box('a', 1), points: [[6, 6], [1, 1]] }, box('b', 9)] } } as never)).not.toBe(key);
  });
});
