import { z } from 'zod';

/**
 * A model's manifest (models/<name>/manifest.json): what the model is, what it takes and gives, how
 * Cohort prepares its input and reads its output, and where it comes from. Any ONNX segmentation,
 * detection or classification model (a MONAI or nnU-Net export, say) runs in Cohort once it has one;
 * models/manifest.schema.json is the same contract as JSON Schema, for editors and other tools.
 */

const id = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'lower case letters, digits and "-", starting with a letter');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');
const code = z.object({ scheme: z.string().min(1).max(16), value: z.string().min(1).max(64), meaning: z.string().min(1).max(128) }).strict();

const ZInput = z
  .object({
    /** The graph input fed with images. */
    name: z.string().min(1),
    layout: z.enum(['NCHW', 'NCDHW']).describe('N batch, C channels, D slices, H rows, W columns'),
    dtype: z.literal('float32'),
    channels: z.number().int().min(1).max(16),
    /** [rows, columns] (2D) or [slices, rows, columns] (3D) the model sees; images are resampled to it. */
    size: z.array(z.number().int().min(1).max(4096)).min(2).max(3),
    /** Voxel spacing in mm the model was trained at ([row, column] or [slice, row, column]); null: any. */
    spacing: z.array(z.number().positive()).min(2).max(3).nullable().default(null),
  })
  .strict();

const ZPreprocessing = z
  .object({
    /** `hu`: stored values through the rescale slope and intercept (CT Hounsfield units); `raw`: as stored. */
    values: z.enum(['hu', 'raw']).default('hu'),
    /** Values clipped to [low, high] before normalization. */
    clip: z.tuple([z.number(), z.number()]).optional(),
    normalize: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }).strict(),
        /** (v − low) / (high − low) over `clip`, or over each image's range without one. */
        z.object({ kind: z.literal('minmax') }).strict(),
        z.object({ kind: z.literal('zscore'), mean: z.number(), std: z.number().positive() }).strict(),
      ])
      .default({ kind: 'none' }),
    resample: z.enum(['nearest', 'linear']).default('linear'),
    mode: z.discriminatedUnion('kind', [
      /** Axial slices one by one, `batch` at a time. */
      z.object({ kind: z.literal('slice2d'), batch: z.number().int().min(1).max(256).default(8) }).strict(),
      /** 3D patches of `input.size` slid over the volume with this fractional overlap, blended. */
      z.object({ kind: z.literal('sliding3d'), overlap: z.number().min(0).max(0.9).default(0.25), batch: z.number().int().min(1).max(64).default(1) }).strict(),
    ]),
  })
  .strict();

const ZClass = z
  .object({
    /** Output channel (scores) or value (labels) of the class. */
    index: z.number().int().min(0).max(255),
    name: z.string().min(1).max(128),
    /** Matched to a project's label schema class by code, then by name. */
    code: code.optional(),
  })
  .strict();

/**
 * How a detection output lays out its boxes: per image, K detections of F values each (`NKF`, e.g. a
 * post-NMS export: x1 y1 x2 y2 score class) or F values for each of K anchors (`NFK`, e.g. a raw
 * YOLOv8 export: cx cy w h and one score per class). The first four values are the box.
 */
const ZBoxLayout = z
  .object({
    layout: z.enum(['NKF', 'NFK']).default('NKF'),
    format: z.enum(['xyxy', 'cxcywh']).default('xyxy'),
    /** `pixels` of the model's input, or `normalized` to [0, 1] of its width and height. */
    coordinates: z.enum(['pixels', 'normalized']).default('pixels'),
    /** `score-class`: then one score and the class index; `per-class`: then one score per class channel. */
    scores: z.enum(['score-class', 'per-class']).default('score-class'),
  })
  .strict();

const ZOutput = z
  .object({
    name: z.string().min(1),
    /**
     * `scores`: one channel per class and pixel (logits or probabilities); `labels`: class values per
     * pixel; `boxes`: detections (see `boxes`); `class-scores`: one score per class for each image.
     */
    kind: z.enum(['scores', 'labels', 'boxes', 'class-scores']),
    /** Classes the model finds; background (nothing) is not listed. */
    classes: z.array(ZClass).min(1).max(255),
    boxes: ZBoxLayout.optional(),
  })
  .strict();

const ZPostprocessing = z
  .object({
    /**
     * Segmentation: `argmax` over class channels, or a `sigmoid` per channel against `threshold`.
     * Classification: `softmax` (one class), or a `sigmoid` per class against `threshold` (several);
     * `none`: the scores are probabilities already. Detection scores are read as they are.
     */
    activation: z.enum(['argmax', 'softmax', 'sigmoid', 'none']).default('argmax'),
    threshold: z.number().min(0).max(1).default(0.5),
    /** Connected components (per slice for 2D models, per volume for 3D) smaller than this are dropped. */
    minComponentVoxels: z.number().int().min(0).default(0),
    /** Non-maximum suppression for boxes, per class: boxes under `score` are dropped, then any overlapping a better one by more than `iou`. */
    nms: z.object({ iou: z.number().min(0).max(1), score: z.number().min(0).max(1) }).strict().optional(),
    /** Detection: at most this many boxes per image, best first. */
    maxDetections: z.number().int().min(1).max(1000).default(100),
    /** Classification of a 2D model: a series' class probabilities are the `mean` or the `max` over its slices. */
    seriesAggregate: z.enum(['mean', 'max']).default('mean'),
  })
  .strict();

export const ZModelManifest = z
  .object({
    $schema: z.string().optional(),
    name: id,
    version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.0.0'),
    title: z.string().min(1).max(128),
    /** What the model is and is not, in plain words: shown on the registry page. */
    description: z.string().min(1).max(4000),
    task: z.enum(['segmentation', 'detection', 'classification']),
    modalities: z.array(z.string().regex(/^[A-Z]{2,4}$/)).min(1),
    bodyParts: z.array(z.string().min(1).max(64)).default([]),
    file: z.string().regex(/^[\w.-]+\.onnx$/).default('model.onnx'),
    /** SHA-256 of the .onnx file: checked before the model is ever run. */
    sha256,
    input: ZInput,
    preprocessing: ZPreprocessing,
    output: ZOutput,
    postprocessing: ZPostprocessing.default({ activation: 'argmax', threshold: 0.5, minComponentVoxels: 0, maxDetections: 100, seriesAggregate: 'mean' }),
    license: z.object({ spdx: z.string().min(1).max(64), url: z.string().url().optional() }).strict(),
    citation: z.string().min(1).max(2000),
    /** Accuracy measured when it was built, e.g. Dice on held-out data: say on what. */
    accuracy: z
      .array(z.object({ metric: z.string().min(1), class: z.string().optional(), value: z.number(), data: z.string().min(1) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    const dims = m.input.layout === 'NCHW' ? 2 : 3;
    if (m.input.size.length !== dims) ctx.addIssue({ code: 'custom', path: ['input', 'size'], message: `${m.input.layout} takes ${dims} sizes.` });
    if (m.input.spacing && m.input.spacing.length !== dims) ctx.addIssue({ code: 'custom', path: ['input', 'spacing'], message: `${m.input.layout} takes ${dims} spacings.` });
    if ((m.preprocessing.mode.kind === 'slice2d') !== (m.input.layout === 'NCHW')) {
      ctx.addIssue({ code: 'custom', path: ['preprocessing', 'mode'], message: 'slice2d goes with NCHW, sliding3d with NCDHW.' });
    }
    const seen = new Set<number>();
    for (const c of m.output.classes) {
      if (seen.has(c.index)) ctx.addIssue({ code: 'custom', path: ['output', 'classes'], message: `Class index ${c.index} is used twice.` });
      seen.add(c.index);
    }
    const kinds = { segmentation: ['scores', 'labels'], detection: ['boxes'], classification: ['class-scores'] }[m.task];
    if (!kinds.includes(m.output.kind)) {
      ctx.addIssue({ code: 'custom', path: ['output', 'kind'], message: `A ${m.task} model outputs ${kinds.join(' or ')}.` });
    }
    if (m.output.kind === 'boxes' && !m.output.boxes) ctx.addIssue({ code: 'custom', path: ['output', 'boxes'], message: 'A boxes output says how its boxes are laid out.' });
    if (m.task !== 'segmentation' && m.preprocessing.mode.kind !== 'slice2d') {
      // A 3D detector or classifier reads whole volumes, not patches blended as a sliding window does.
      ctx.addIssue({ code: 'custom', path: ['preprocessing', 'mode'], message: `A ${m.task} model runs slice by slice (slice2d); Cohort runs 3D models for segmentation only.` });
    }
    if (m.task === 'classification' && m.postprocessing.activation === 'argmax') {
      ctx.addIssue({ code: 'custom', path: ['postprocessing', 'activation'], message: 'A classification model takes softmax, sigmoid or none.' });
    }
  });

export type ModelManifest = z.infer<typeof ZModelManifest>;
