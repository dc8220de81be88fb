import { z } from 'zod';

/** The largest label request (JSON, labelmaps base64): far above any real rle1 labelmap, which takes kilobytes. */
export const MAX_LABEL_BYTES = 32 * 1024 * 1024;

/** Pixel coordinates (column, row) on one image: where regions and measurements are drawn. */
const ZPoint = z.tuple([z.number().finite(), z.number().finite()]);
const ZUid = z.string().regex(/^[0-9.]{1,64}$/, 'a DICOM UID');
const ZItemId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of letters, digits, "_" or "-"');
const ZOnImage = { seriesInstanceUid: ZUid, sopInstanceUid: ZUid, frame: z.number().int().min(1).max(100_000).default(1) };

export const ZRegion = z
  .object({ id: ZItemId, classId: z.string().min(1).max(64), shape: z.enum(['box', 'polygon']), ...ZOnImage, points: z.array(ZPoint).min(2).max(10_000) })
  .strict()
  .refine((r) => (r.shape === 'box' ? r.points.length === 2 : r.points.length >= 3), 'a box has two corners, a polygon at least three points');

export const ZMeasurement = z
  .object({ id: ZItemId, kind: z.enum(['length', 'angle']), ...ZOnImage, points: z.array(ZPoint).min(2).max(3) })
  .strict()
  .refine((m) => m.points.length === (m.kind === 'length' ? 2 : 3), 'a length has two points, an angle three');

export const ZAnswer = z
  .object({ questionId: z.string().min(1).max(64), seriesInstanceUid: ZUid.optional(), choiceIds: z.array(z.string().min(1).max(64)).min(1).max(32) })
  .strict();

/** Labelmap layers a series may have: overlapping segments go on layers of their own. */
export const MAX_LABELMAP_LAYERS = 8;

/**
 * One layer of a series' segmentation: rle1 bytes (base64) over columns × rows × slices, slices in
 * stack order. Layer 0 is the series' labelmap; segments that overlap it are on layers 1, 2, … (each
 * segment on one layer), so a voxel can be in several segments.
 */
export const ZLabelmapInput = z
  .object({
    seriesInstanceUid: ZUid,
    layer: z.number().int().min(0).max(MAX_LABELMAP_LAYERS - 1).default(0),
    columns: z.number().int().min(1).max(4096),
    rows: z.number().int().min(1).max(4096),
    slices: z.number().int().min(1).max(10_000),
    rle: z.base64().max(MAX_LABEL_BYTES),
  })
  .strict();

export const ZAnnotationContent = z
  .object({
    regions: z.array(ZRegion).max(5000).default([]),
    measurements: z.array(ZMeasurement).max(5000).default([]),
    answers: z.array(ZAnswer).max(1000).default([]),
  })
  .strict();
export type AnnotationContent = z.infer<typeof ZAnnotationContent>;

export const SAVE_REASONS = ['autosave', 'save', 'submit'] as const;

export const ZSaveAnnotationInput = z
  .object({
    /** The version the edit started from: a save on top of another is refused, not merged. */
    baseVersion: z.number().int().min(0),
    /** The schema version the viewer labeled with. */
    schemaVersion: z.number().int().min(1),
    reason: z.enum(SAVE_REASONS),
    content: ZAnnotationContent,
    labelmaps: z.array(ZLabelmapInput).max(64).default([]),
    /** The AI proposals the label started from, per series: provenance, and what edit statistics compare with. */
    proposals: z
      .array(z.object({ seriesInstanceUid: z.string().regex(/^[0-9.]{1,64}$/), proposalId: z.string().min(1).max(64) }).strict())
      .max(64)
      .default([]),
  })
  .strict();
export type SaveAnnotationInput = z.infer<typeof ZSaveAnnotationInput>;

export const REVIEW_DECISIONS = ['accept', 'request_changes'] as const;
export const ZReviewInput = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    /** Required when asking for changes: the reader needs to know what to change. */
    comment: z.string().trim().max(4000).default(''),
  })
  .strict()
  .refine((r) => r.decision === 'accept' || r.comment.length > 0, { message: 'Say what should change.', path: ['comment'] });
export type ReviewInput = z.infer<typeof ZReviewInput>;

export const ZCommentInput = z.object({ body: z.string().trim().min(1, 'Write something first.').max(4000) }).strict();
