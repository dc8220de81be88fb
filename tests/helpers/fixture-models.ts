import { createHash } from 'node:crypto';
import { OnnxGraph } from '@/models/onnx-graph';

/** A test model: its .onnx bytes and a complete manifest for them. */
export type FixtureModel = { onnx: Uint8Array; manifest: Record<string, unknown> };

const about = (name: string, onnx: Uint8Array) => ({
  name,
  version: '1.0.0',
  title: name,
  description: 'A model built by the tests.',
  modalities: ['CT'],
  license: { spdx: 'MIT' },
  citation: 'None.',
  sha256: createHash('sha256').update(onnx).digest('hex'),
});

/**
 * A detection model reading 256² slices that proposes the same three boxes on every one
 * (x1 y1 x2 y2 score class): `classes[0]` at (50, 60)–(100, 110) scoring 0.9, a weaker copy
 * overlapping it (NMS drops it), and `classes[1]` elsewhere. On a 512² series: (100, 120)–(200, 220).
 */
export function fixedBoxesModel(name: string, classes: [string, string]): FixtureModel {
  const g = new OnnxGraph();
  const zeros = g.op('Mul', [g.op('ReduceMean', ['hu'], { axes: [1, 2, 3], keepdims: 1 }), g.floats('zero', [0])]);
  const perImage = g.op('Reshape', [zeros, g.ints('batch_1_1', [-1, 1, 1])]);
  const rows = [50, 60, 100, 110, 0.9, 0, /**/ 52, 62, 102, 112, 0.8, 0, /**/ 150, 150, 200, 220, 0.95, 1];
  g.op('Add', [perImage, g.floats('boxes_const', rows, [1, 3, 6])], {}, 'detections');
  const onnx = g.toBytes({ input: { name: 'hu', shape: ['n', 1, 256, 256] }, output: { name: 'detections', shape: ['n', 3, 6] }, doc: 'test', metadata: {} });
  return {
    onnx,
    manifest: {
      ...about(name, onnx),
      task: 'detection',
      input: { name: 'hu', layout: 'NCHW', dtype: 'float32', channels: 1, size: [256, 256] },
      preprocessing: { values: 'hu', mode: { kind: 'slice2d', batch: 4 } },
      output: { name: 'detections', kind: 'boxes', classes: classes.map((c, index) => ({ index, name: c })), boxes: { layout: 'NKF', format: 'xyxy', coordinates: 'pixels', scores: 'score-class' } },
      postprocessing: { nms: { iou: 0.5, score: 0.5 } },
    },
  };
}

/**
 * A classification model reading 512² slices: `classes[0]` scores the slice's fraction of air
 * (< −500 HU), `classes[1]` the rest, as probabilities; a series takes their mean.
 */
export function airFractionModel(name: string, classes: [string, string]): FixtureModel {
  const g = new OnnxGraph();
  const air = g.op('ReduceMean', [g.op('Cast', [g.op('Less', ['hu', g.floats('air_hu', [-500])])], { to: 1 })], { axes: [2, 3], keepdims: 0 });
  g.op('Concat', [air, g.op('Sub', [g.floats('one', [1]), air])], { axis: 1 }, 'probabilities');
  const onnx = g.toBytes({ input: { name: 'hu', shape: ['n', 1, 512, 512] }, output: { name: 'probabilities', shape: ['n', 2] }, doc: 'test', metadata: {} });
  return {
    onnx,
    manifest: {
      ...about(name, onnx),
      task: 'classification',
      input: { name: 'hu', layout: 'NCHW', dtype: 'float32', channels: 1, size: [512, 512] },
      preprocessing: { values: 'hu', mode: { kind: 'slice2d', batch: 4 } },
      output: { name: 'probabilities', kind: 'class-scores', classes: classes.map((c, index) => ({ index, name: c })) },
      postprocessing: { activation: 'none', seriesAggregate: 'mean' },
    },
  };
}
