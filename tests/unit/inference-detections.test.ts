/**
 * Detection and classification outputs, read as their manifests say: box layouts decoded, greedy
 * per-class NMS, boxes scaled back to the image, class probabilities and their series aggregate,
 * the project schema classes they are written as, and how a reader's edits of them are measured.
 */
import { describe, expect, it } from 'vitest';
import { ZLabelSchema } from '@/lib/annotations/label-schema';
import { classProbabilities, seriesProbabilities } from '@/lib/inference/class-probabilities';
import { choiceMapping, regionMapping } from '@/lib/inference/class-mapping';
import { boxIou, decodeDetections, detectionsOf, nonMaxSuppression, type Detection } from '@/lib/inference/detections';
import { boxEdits, choiceEdit } from '@/lib/inference/edit-measures';
import { ZModelManifest, type ModelManifest } from '@/lib/inference/manifest';

const base = {
  name: 'test-model',
  version: '1.0.0',
  title: 'Test',
  description: 'A test model.',
  modalities: ['CT'],
  sha256: '0'.repeat(64),
  input: { name: 'x', layout: 'NCHW', dtype: 'float32', channels: 1, size: [100, 200] },
  preprocessing: { mode: { kind: 'slice2d', batch: 2 } },
  license: { spdx: 'MIT' },
  citation: 'None.',
};
const detector = (boxes: object, postprocessing: object = { nms: { iou: 0.5, score: 0.5 } }): ModelManifest =>
  ZModelManifest.parse({
    ...base,
    task: 'detection',
    output: { name: 'y', kind: 'boxes', classes: [{ index: 0, name: 'Nodule' }, { index: 2, name: 'Mass' }], boxes },
    postprocessing,
  });
const classifier = (activation: string, seriesAggregate = 'mean'): ModelManifest =>
  ZModelManifest.parse({
    ...base,
    task: 'classification',
    output: { name: 'y', kind: 'class-scores', classes: [{ index: 0, name: 'Good' }, { index: 1, name: 'poor' }, { index: 2, name: 'Unreadable' }] },
    postprocessing: { activation, seriesAggregate, threshold: 0.5 },
  });

describe('manifests of detection and classification models', () => {
  it('refuse an output that does not fit the task, a boxes output without its layout, 3D detection and argmax classification', () => {
    const issues = (m: object) => ZModelManifest.safeParse(m).error?.issues.map((i) => i.message) ?? [];
    expect(issues({ ...base, task: 'detection', output: { name: 'y', kind: 'scores', classes: [{ index: 1, name: 'A' }] } })).toContain('A detection model outputs boxes.');
    expect(issues({ ...base, task: 'detection', output: { name: 'y', kind: 'boxes', classes: [{ index: 1, name: 'A' }] } })).toContain('A boxes output says how its boxes are laid out.');
    expect(issues({ ...base, task: 'classification', output: { name: 'y', kind: 'class-scores', classes: [{ index: 1, name: 'A' }] } })).toContain('A classification model takes softmax, sigmoid or none.');
    const threeD = { ...base, input: { ...base.input, layout: 'NCDHW', size: [8, 64, 64] }, preprocessing: { mode: { kind: 'sliding3d' } } };
    expect(issues({ ...threeD, task: 'classification', output: { name: 'y', kind: 'class-scores', classes: [{ index: 1, name: 'A' }] }, postprocessing: { activation: 'softmax' } })).toContain(
      'A classification model runs slice by slice (slice2d); Cohort runs 3D models for segmentation only.',
    );
  });
});

describe('decoding boxes', () => {
  it('reads x1 y1 x2 y2 score class rows (NKF), dropping unlisted classes and empty boxes', () => {
    const m = detector({ layout: 'NKF', format: 'xyxy', scores: 'score-class' });
    const data = Float32Array.from([10, 20, 30, 40, 0.9, 0, /**/ 50, 50, 40, 60, 0.8, 2, /**/ 1, 1, 5, 5, 0.99, 1, /**/ 5, 5, 5, 9, 0.7, 0]);
    expect(decodeDetections(data, [4, 6], m)).toEqual([
      { box: [10, 20, 30, 40], score: expect.closeTo(0.9, 6), classIndex: 0 },
      // Corners in either order are the same box.
      { box: [40, 50, 50, 60], score: expect.closeTo(0.8, 6), classIndex: 2 },
    ]);
  });

  it('reads cx cy w h with a score per class, anchors along the last axis (NFK, as a raw YOLOv8 export), normalized', () => {
    const m = detector({ layout: 'NFK', format: 'cxcywh', coordinates: 'normalized', scores: 'per-class' });
    // Two anchors, F = 4 + 3 class channels (0, 1, 2), stored feature-major.
    const anchors = [
      [0.5, 0.5, 0.2, 0.4, 0.1, 0.95, 0.7], // best listed class: Mass (2), 0.7; class 1 is not listed
      [0.25, 0.1, 0.1, 0.2, 0.6, 0.0, 0.3],
    ];
    const data = new Float32Array(7 * 2);
    anchors.forEach((a, k) => a.forEach((v, f) => (data[f * 2 + k] = v)));
    const [first, second] = decodeDetections(data, [7, 2], m);
    // Input 100 rows × 200 columns: x scales by 200, y by 100.
    expect(first!.classIndex).toBe(2);
    expect(first!.score).toBeCloseTo(0.7, 6);
    first!.box.forEach((v, i) => expect(v).toBeCloseTo([80, 30, 120, 70][i]!, 4));
    expect(second!.classIndex).toBe(0);
    second!.box.forEach((v, i) => expect(v).toBeCloseTo([40, 0, 60, 20][i]!, 4));
  });

  it('refuses an output too narrow for its layout', () => {
    expect(() => decodeDetections(new Float32Array(10), [2, 5], detector({}))).toThrow(/5 values each; its manifest needs 6/);
  });
});

describe('non-maximum suppression', () => {
  const d = (box: Detection['box'], score: number, classIndex = 0): Detection => ({ box, score, classIndex });

  it('keeps the best of overlapping boxes per class, drops those under the score, and stops at the maximum', () => {
    expect(boxIou([0, 0, 10, 10], [1, 1, 11, 11])).toBeCloseTo(81 / 119, 10);
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
    const all = [d([1, 1, 11, 11], 0.8), d([0, 0, 10, 10], 0.9), d([20, 20, 30, 30], 0.7), d([0, 0, 10, 10], 0.6, 2), d([40, 40, 50, 50], 0.2)];
    expect(nonMaxSuppression(all, { iou: 0.5, score: 0.5, max: 10 }).map((k) => k.score)).toEqual([0.9, 0.7, 0.6]);
    // Overlap at or under the IoU limit is two findings.
    expect(nonMaxSuppression(all, { iou: 0.7, score: 0.5, max: 10 }).map((k) => k.score)).toEqual([0.9, 0.8, 0.7, 0.6]);
    expect(nonMaxSuppression(all, { iou: 0.5, score: 0, max: 2 }).map((k) => k.score)).toEqual([0.9, 0.7]);
  });

  it('gives boxes in the image’s own pixels, clamped to it', () => {
    const m = detector({}, { nms: { iou: 0.5, score: 0.5 } });
    const data = Float32Array.from([10, 20, 30, 40, 0.9, 0, /**/ 150, 90, 250, 120, 0.8, 2]);
    // The model saw 100 × 200; the image is 300 rows × 400 columns: x × 2, y × 3.
    expect(detectionsOf(data, [2, 6], m, { rows: 300, columns: 400 }).map((k) => k.box)).toEqual([
      [20, 60, 60, 120],
      [300, 270, 400, 300],
    ]);
  });
});

describe('class probabilities', () => {
  it('softmax, sigmoid or as given, in the manifest’s class order; a series takes their mean or max', () => {
    const logits = Float32Array.from([1, 2, 3]);
    const e = [1, 2, 3].map(Math.exp);
    const sum = e[0]! + e[1]! + e[2]!;
    [...classProbabilities(logits, classifier('softmax'))].forEach((p, i) => expect(p).toBeCloseTo(e[i]! / sum, 10));
    [...classProbabilities(logits, classifier('sigmoid'))].forEach((p, i) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-(i + 1))), 10));
    expect([...classProbabilities(Float32Array.from([0.25, 0.5, 0.25]), classifier('none'))]).toEqual([0.25, 0.5, 0.25]);
    expect(() => classProbabilities(Float32Array.from([0.5, 0.5]), classifier('none'))).toThrow('test-model gave 2 class scores per image; its manifest names class 2.');

    const slices = [Float64Array.from([0.2, 0.8, 0]), Float64Array.from([0.6, 0.4, 0])];
    const mean = seriesProbabilities(classifier('none'));
    const max = seriesProbabilities(classifier('none', 'max'));
    for (const p of slices) [mean, max].forEach((agg) => agg.add(p));
    [...mean.result()].forEach((p, i) => expect(p).toBeCloseTo([0.4, 0.6, 0][i]!, 10));
    expect([...max.result()]).toEqual([0.6, 0.8, 0]);
  });
});

describe('the schema classes model classes are written as', () => {
  const schema = ZLabelSchema.parse({
    boxes: [{ id: 'nodule', name: 'Lung nodule', color: '#ff0000' }],
    questions: [
      { id: 'laterality', question: 'Side', level: 'study', choices: [{ id: 'left', label: 'Left' }, { id: 'right', label: 'Right' }] },
      { id: 'quality', question: 'Image quality', level: 'series', choices: [{ id: 'good', label: 'Good' }, { id: 'poor', label: 'Poor' }] },
    ],
  });

  it('boxes by box class id or name; an answer to the question with the most of the classes as choices', () => {
    expect(regionMapping(detector({}), schema)).toEqual({ classIdOf: new Map([[0, 'nodule']]), used: [{ model: 'Nodule', region: 'nodule' }], unmatched: ['Mass'] });
    expect(choiceMapping(classifier('softmax'), schema)).toEqual({
      questionId: 'quality',
      level: 'series',
      multiple: false,
      choiceOf: ['good', 'poor', null],
      used: [{ model: 'Good', choice: 'good' }, { model: 'poor', choice: 'poor' }],
      unmatched: ['Unreadable'],
    });
  });

  it('no class of the model in the schema: a clear error', () => {
    const other = ZLabelSchema.parse({ segments: [{ value: 1, name: 'Body', color: '#ffffff' }] });
    expect(() => regionMapping(detector({}), other)).toThrow(/None of the model's classes \(Nodule, Mass\) is a box class/);
    expect(() => choiceMapping(classifier('softmax'), other)).toThrow(/None of the project's questions has the model's classes \(Good, poor, Unreadable\) as choices/);
  });
});

describe('how much a reader changed boxes and answers', () => {
  const box = (id: string, points: [number, number][], sopInstanceUid = '1.2.3') => ({ id, classId: 'nodule', shape: 'box' as const, seriesInstanceUid: '1.2', sopInstanceUid, frame: 1, points });

  it('boxes: matched one to one on the same image at IoU ≥ 0.5, best first; F1 and the matched boxes’ mean IoU', () => {
    const proposed = [box('a', [[0, 0], [10, 10]]), box('b', [[20, 20], [30, 30]]), box('c', [[0, 0], [10, 10]], '1.2.4')];
    // a kept as is, b moved (IoU 0.6), c deleted, d drawn by the reader; e sits where a is, but a is taken.
    const moved = box('b2', [[20, 20], [32, 30]]);
    const submitted = [box('a', [[0, 0], [10, 10]]), moved, box('d', [[50, 50], [60, 60]]), box('e', [[0, 0], [10, 11]])];
    const iouMoved = boxIou([20, 20, 30, 30], [20, 20, 32, 30]);
    const edit = boxEdits(proposed, submitted);
    expect(edit).toMatchObject({ proposal: 3, final: 4, intersection: 2 });
    expect(edit.dice).toBeCloseTo((2 * 2) / 7, 10);
    expect(edit.iou).toBeCloseTo((1 + iouMoved) / 2, 10);
    expect(boxEdits([], [])).toEqual({ proposal: 0, final: 0, intersection: 0, dice: null, iou: null });
  });

  it('answers: a choice kept agrees (1), a changed one does not (0), one neither has is not counted', () => {
    expect(choiceEdit(true, true)).toMatchObject({ intersection: 1, dice: 1 });
    expect(choiceEdit(true, false)).toMatchObject({ proposal: 1, final: 0, dice: 0 });
    expect(choiceEdit(false, true)).toMatchObject({ proposal: 0, final: 1, dice: 0 });
    expect(choiceEdit(false, false).dice).toBeNull();
  });
});
