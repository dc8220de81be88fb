/**
 * The schema editor's rows and the stored schema: a stored schema comes back unchanged through the
 * editor, renaming keeps ids (labels made with the schema still fit), and codes default sensibly.
 */
import { describe, expect, it } from 'vitest';
import { draftToSchema, EMPTY_DRAFT, NO_CODE, schemaToDraft } from '@/components/projects/schema-draft';
import { labelMismatches, ZLabelSchema } from '@/lib/annotations/label-schema';

const STORED = ZLabelSchema.parse({
  segments: [
    { value: 1, name: 'Liver', color: '#aa3300', code: { scheme: 'SCT', value: '10200004', meaning: 'Liver' } },
    { value: 2, name: 'Lesion', color: '#00ff00' },
  ],
  boxes: [{ id: 'nodule', name: 'Nodule', color: '#ff0000' }],
  polygons: [{ id: 'outline', name: 'Outline', color: '#0000ff' }],
  questions: [
    { id: 'quality', question: 'Image quality', level: 'study', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] },
    { id: 'artefacts', question: 'Artefacts seen', level: 'series', multiple: true, required: false, choices: [{ id: 'motion', label: 'Motion' }, { id: 'metal', label: 'Metal' }] },
  ],
});

describe('schema drafts', () => {
  it('bring a stored schema back unchanged, codes and optional questions included', () => {
    expect(draftToSchema(schemaToDraft(STORED))).toEqual(STORED);
  });

  it('keep ids when classes, questions and choices are renamed, so saved labels still fit', () => {
    const draft = schemaToDraft(STORED);
    draft.regions[0]!.name = 'Lung nodule';
    draft.questions[0]!.question = 'Overall image quality';
    draft.questions[0]!.choices = 'Good, Poor, Unreadable';
    const edited = draftToSchema(draft);
    expect(edited.boxes[0]).toEqual({ id: 'nodule', name: 'Lung nodule', color: '#ff0000' });
    expect(edited.questions[0]!.id).toBe('quality');
    expect(edited.questions[0]!.choices.map((c) => c.id)).toEqual(['good', 'poor', 'unreadable']);
    expect(labelMismatches(ZLabelSchema.parse(edited), { regionClassIds: ['nodule'], answers: [{ questionId: 'quality', choiceIds: ['good'] }] })).toEqual([]);
  });

  it('give new rows ids from their names, and a code its scheme and meaning when left blank', () => {
    const draft = structuredClone(EMPTY_DRAFT);
    draft.segments[0] = { value: 1, name: 'Left lung', color: '#123456', code: { scheme: '', value: ' 44029006 ', meaning: '' } };
    draft.segments.push({ value: 2, name: 'Bone', color: '#ffffff', code: NO_CODE });
    draft.regions.push({ name: 'Pleural effusion', color: '#ff00ff', shape: 'polygon' });
    const schema = draftToSchema(draft);
    expect(schema.segments).toEqual([
      { value: 1, name: 'Left lung', color: '#123456', code: { scheme: 'SCT', value: '44029006', meaning: 'Left lung' } },
      { value: 2, name: 'Bone', color: '#ffffff' },
    ]);
    expect(schema.polygons).toEqual([{ id: 'pleural_effusion', name: 'Pleural effusion', color: '#ff00ff' }]);
    expect(ZLabelSchema.safeParse(schema).success).toBe(true);
  });
});
