import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { labelMismatches, labelSchemaHash, ZLabelSchema } from '@/lib/annotations/label-schema';

const LUNG_NODULES = {
  segments: [
    { value: 1, name: 'Nodule', color: '#e11d48', code: { scheme: 'SCT', value: '27925004', meaning: 'Nodule' } },
    { value: 2, name: 'Lung', color: '#0ea5e9' },
  ],
  boxes: [{ id: 'lesion', name: 'Lesion', color: '#f59e0b' }],
  polygons: [{ id: 'airway', name: 'Airway', color: '#22c55e' }],
  questions: [
    { id: 'lung-rads', question: 'Lung-RADS category', level: 'study', choices: ['1', '2', '3', '4a', '4b'].map((c) => ({ id: `c${c}`, label: c })) },
    { id: 'artifacts', question: 'Artifacts', level: 'series', multiple: true, required: false, choices: [{ id: 'motion', label: 'Motion' }, { id: 'metal', label: 'Metal' }] },
  ],
};

const issues = (input: unknown) => {
  const result = ZLabelSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('label schema', () => {
  it('accepts a schema with every kind of label, filling defaults', () => {
    const schema = ZLabelSchema.parse(LUNG_NODULES);
    expect(schema.questions[0]).toMatchObject({ multiple: false, required: true });
    expect(ZLabelSchema.parse({ segments: [{ value: 3, name: 'Liver', color: '#AABBCC' }] })).toEqual({
      segments: [{ value: 3, name: 'Liver', color: '#AABBCC' }],
      boxes: [],
      polygons: [],
      questions: [],
    });
  });

  it('refuses an empty schema, unknown keys, bad values, colours and ids', () => {
    expect(issues({})).toEqual(['A label schema needs at least one segment class, box class, polygon class or question.']);
    expect(issues({ segments: [{ value: 0, name: 'Background', color: '#000000' }] })).not.toEqual([]);
    expect(issues({ segments: [{ value: 256, name: 'Too high', color: '#000000' }] })).not.toEqual([]);
    expect(issues({ segments: [{ value: 1, name: 'Red', color: 'red' }] })).toEqual(['colours are #rrggbb']);
    expect(issues({ boxes: [{ id: 'Has Space', name: 'X', color: '#000000' }] })).toHaveLength(1);
    expect(issues({ ...LUNG_NODULES, extra: true })).not.toEqual([]);
    expect(issues({ questions: [{ id: 'q', question: 'Only one choice?', level: 'study', choices: [{ id: 'yes', label: 'Yes' }] }] })).not.toEqual([]);
  });

  it('refuses duplicates: segment values and names, region ids across boxes and polygons, questions, choices', () => {
    expect(
      issues({
        segments: [
          { value: 1, name: 'Liver', color: '#000000' },
          { value: 1, name: 'liver', color: '#111111' },
        ],
        boxes: [{ id: 'lesion', name: 'Lesion', color: '#000000' }],
        polygons: [{ id: 'lesion', name: 'Lesion outline', color: '#000000' }],
        questions: [
          { id: 'q', question: 'A', level: 'study', choices: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] },
          { id: 'q', question: 'B', level: 'series', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] },
        ],
      }),
    ).toEqual(['Segment value "1" is used twice.', 'Segment name "liver" is used twice.', 'Region class id "lesion" is used twice.', 'Question id "q" is used twice.', 'Choice id "a" is used twice.']);
  });

  it('hashes the canonical JSON: key order does not matter, any change does', () => {
    const schema = ZLabelSchema.parse(LUNG_NODULES);
    const reordered = ZLabelSchema.parse(JSON.parse(JSON.stringify({ questions: LUNG_NODULES.questions, polygons: LUNG_NODULES.polygons, boxes: LUNG_NODULES.boxes, segments: LUNG_NODULES.segments })));
    expect(labelSchemaHash(reordered)).toBe(labelSchemaHash(schema));
    expect(labelSchemaHash(schema)).toMatch(/^[0-9a-f]{64}$/);
    const recoloured = ZLabelSchema.parse({ ...LUNG_NODULES, segments: [{ ...LUNG_NODULES.segments[0]!, color: '#000000' }, LUNG_NODULES.segments[1]] });
    expect(labelSchemaHash(recoloured)).not.toBe(labelSchemaHash(schema));
    // Independently: SHA-256 of the sorted-key JSON of a one-class schema.
    const small = ZLabelSchema.parse({ boxes: [{ id: 'a', name: 'A', color: '#000000' }] });
    expect(labelSchemaHash(small)).toBe(createHash('sha256').update('{"boxes":[{"color":"#000000","id":"a","name":"A"}],"polygons":[],"questions":[],"segments":[]}').digest('hex'));
  });

  it('says why a label does not fit the schema, and nothing when it does', () => {
    const schema = ZLabelSchema.parse(LUNG_NODULES);
    expect(labelMismatches(schema, { segmentValues: [1, 2, 1], regionClassIds: ['lesion', 'airway'], answers: [{ questionId: 'lung-rads', choiceIds: ['c4a'] }, { questionId: 'artifacts', choiceIds: ['motion', 'metal'] }] })).toEqual([]);
    expect(
      labelMismatches(schema, {
        segmentValues: [1, 7],
        regionClassIds: ['tumour'],
        answers: [
          { questionId: 'lung-rads', choiceIds: ['c1', 'c2'] },
          { questionId: 'density', choiceIds: ['solid'] },
          { questionId: 'artifacts', choiceIds: ['noise'] },
        ],
      }),
    ).toEqual([
      'Segment value 7 is not in the schema.',
      'Region class "tumour" is not in the schema.',
      'Question "lung-rads" takes one choice.',
      'Question "density" is not in the schema.',
      '"noise" is not a choice of question "artifacts".',
    ]);
  });
});
