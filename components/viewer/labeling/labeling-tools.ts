/**
 * Labeling on Cornerstone3D (loaded with the rest of @cornerstonejs/tools, see viewer-tools.ts):
 * one labelmap segmentation per series, shared by every pane showing it, its voxels read and written
 * as volumes in stack order (what rle1 encodes and the server checks): layer 0, and a layer for each
 * segment that overlaps others (Cornerstone's labelmap layers; lib/annotations/labelmap-layers.client.ts),
 * and the region and measurement annotations converted to and from pixel coordinates on their images.
 */
import { cache, eventTarget, getEnabledElementByViewportId, imageLoader, utilities as csUtils, type Types } from '@cornerstonejs/core';
import { annotation, AngleTool, Enums, LengthTool, PlanarFreehandROITool, RectangleROITool, segmentation } from '@cornerstonejs/tools';
import { interpolateLabelmap } from '@/lib/annotations/interpolate-labelmap.client';
import type { AnnotationContent } from '@/lib/annotations/schemas';
import type { LoadedSeries } from '../load-series';
import { setDrawingOwner } from './pane-scoped-tools';

export { scopePane } from './pane-scoped-tools';

const { SegmentationRepresentations, Events: ToolEvents, ChangeTypes } = Enums;

export type SegmentStyle = { value: number; color: string; visible: boolean };

type SeriesLabelmap = { owner: string; seriesUid: string; segmentationId: string; series: LoadedSeries; labelmapImageIds: string[]; columns: number; rows: number };
/**
 * Labelmaps by owner and series: the reader's own ('mine'), or, for a reviewer, each reader's copy
 * (owner = its annotation id), overlaid on the same images.
 */
const labelmaps = new Map<string, SeriesLabelmap>();
export const MINE = 'mine';
const keyOf = (owner: string, seriesUid: string) => `${owner}/${seriesUid}`;

/** A series can carry a labelmap when all its images share one size (one voxel grid). */
export function canLabel(series: LoadedSeries): boolean {
  const sizes = new Set(series.images.map(sizeOf));
  return sizes.size === 1 && !sizes.has('0x0');
}

const sizeOf = (image: LoadedSeries['images'][number]) => `${dicomNumber(image.instance, '00280011')}x${dicomNumber(image.instance, '00280010')}`;
const dicomNumber = (instance: LoadedSeries['images'][number]['instance'], tag: string) => Number((instance[tag]?.Value as number[] | undefined)?.[0] ?? 0);

/**
 * The series' labelmap, created on first use (empty, or filled with `layers` in stack order: layer 0,
 * then a layer per group of segments overlapping it). Its segments are the schema's classes, in their
 * colours; each keeps its value on whichever layer it is.
 */
export function ensureLabelmap(seriesUid: string, series: LoadedSeries, segments: readonly { value: number; name: string }[], layers: readonly Uint8Array[] = [], owner = MINE): SeriesLabelmap {
  const existing = labelmaps.get(keyOf(owner, seriesUid));
  if (existing) return existing;
  const segmentationId = `labels-${owner}-${seriesUid}`;
  const stored = (layers.length ? layers : [null]).map((voxels, n) => ({
    labelmapId: `${segmentationId}-storage-${n}`,
    imageIds: imageLoader.createAndCacheDerivedLabelmapImages(series.imageIds).map((i) => i.imageId),
    voxels,
  }));
  // A segment on an overlap layer is bound to it, with its own value there.
  const segmentBindings = Object.fromEntries(stored.slice(1).flatMap((l) => valuesIn(l.voxels!).map((value) => [value, { labelmapId: l.labelmapId, labelValue: value }])));
  segmentation.addSegmentations([
    {
      segmentationId,
      representation: {
        type: SegmentationRepresentations.Labelmap,
        data: {
          imageIds: stored[0]!.imageIds,
          referencedImageIds: series.imageIds,
          labelmaps: Object.fromEntries(stored.map((l) => [l.labelmapId, { labelmapId: l.labelmapId, storageKind: 'stack', imageIds: l.imageIds, referencedImageIds: series.imageIds }])),
          primaryLabelmapId: stored[0]!.labelmapId,
          segmentBindings,
        },
      },
      config: { label: 'Labels', segments: Object.fromEntries(segments.map((s) => [s.value, { label: s.name, segmentIndex: s.value }])) },
    },
  ]);
  const first = series.images[0]!.instance;
  const entry: SeriesLabelmap = { owner, seriesUid, segmentationId, series, labelmapImageIds: stored[0]!.imageIds, columns: dicomNumber(first, '00280011'), rows: dicomNumber(first, '00280010') };
  labelmaps.set(keyOf(owner, seriesUid), entry);
  for (const l of stored) {
    if (l.voxels) writeImages(entry, l.imageIds, l.voxels);
    spanWholeSlices(l.imageIds);
  }
  if (layers.length) {
    restoring.add(entry.segmentationId);
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(entry.segmentationId);
  }
  return entry;
}

/**
 * Cornerstone walks a labelmap image's voxels within the bounds of its own edits so far, and moving a
 * segment onto an overlap layer walks them so: voxels loaded from a save, outside the first stroke's
 * bounds, would stay behind on layer 0. Bounds spanning the whole slice make every walk whole.
 */
function spanWholeSlices(imageIds: readonly string[]) {
  for (const id of imageIds) {
    const voxels = cache.getImage(id)?.voxelManager;
    if (voxels) voxels.setBounds(voxels.getDefaultBounds());
  }
}

/** The non-zero values of a layer (overlap layers are rare and hold few segments). */
function valuesIn(voxels: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < voxels.length; i++) seen[voxels[i]!] = 1;
  return [...seen.keys()].filter((v) => v > 0 && seen[v]);
}

type LayerState = { labelmapId: string; imageIds?: string[]; labelToSegmentIndex?: Record<number, number> };
type LabelmapState = { labelmaps?: Record<string, LayerState>; primaryLabelmapId?: string; segmentBindings?: Record<number, { labelmapId: string; labelValue: number }> };

/** Cornerstone's record of the segmentation's layers and of which layer each segment is on. */
function labelmapState(entry: SeriesLabelmap): LabelmapState | undefined {
  return segmentation.state.getSegmentation(entry.segmentationId)?.representationData.Labelmap as LabelmapState | undefined;
}

/**
 * The segmentation's labelmap layers as Cornerstone now has them, layer 0 first: painting a segment
 * over another while overlapping is on moves it onto a layer of its own.
 */
function layerStates(entry: SeriesLabelmap): LayerState[] {
  const data = labelmapState(entry);
  const all = Object.values(data?.labelmaps ?? {});
  if (!all.length) return [{ labelmapId: entry.segmentationId, imageIds: entry.labelmapImageIds }];
  const primary = all.find((l) => l.labelmapId === data?.primaryLabelmapId) ?? all[0]!;
  return [primary, ...all.filter((l) => l !== primary)];
}

/** Where segment `value` is painted: its layer's images and its value there. */
function segmentTarget(entry: SeriesLabelmap, value: number): { imageIds: string[]; labelValue: number } {
  const data = labelmapState(entry);
  const binding = data?.segmentBindings?.[value];
  const layer = binding && data?.labelmaps?.[binding.labelmapId];
  return binding && layer?.imageIds ? { imageIds: layer.imageIds, labelValue: binding.labelValue } : { imageIds: entry.labelmapImageIds, labelValue: value };
}

/** Shows the series' labelmap in a viewport, in the schema's colours, painting with `activeValue`. */
export type LabelmapLook = { opacity: number; activeValue: number | null; /** Outline only: a second reader's copy over the first. */ outlineOnly?: boolean };

export function showLabelmap(viewportId: string, seriesUid: string, segments: readonly SegmentStyle[], look: LabelmapLook, owner = MINE) {
  const entry = labelmaps.get(keyOf(owner, seriesUid));
  if (!entry) return;
  segmentation.addLabelmapRepresentationToViewport(viewportId, [{ segmentationId: entry.segmentationId, config: { colorLUTOrIndex: colorLut(segments) } }]);
  if (owner === MINE) segmentation.activeSegmentation.setActiveSegmentation(viewportId, entry.segmentationId);
  // Several readers' copies on one image: all drawn, not only the active one.
  else segmentation.config.style.setRenderInactiveSegmentations(viewportId, true);
  styleLabelmap(viewportId, seriesUid, segments, look, owner);
}

export function styleLabelmap(viewportId: string, seriesUid: string, segments: readonly SegmentStyle[], look: LabelmapLook, owner = MINE) {
  const entry = labelmaps.get(keyOf(owner, seriesUid));
  if (!entry) return;
  const specifier = { segmentationId: entry.segmentationId, type: SegmentationRepresentations.Labelmap };
  for (const s of segments) segmentation.config.visibility.setSegmentIndexVisibility(viewportId, specifier, s.value, s.visible);
  const fill = look.outlineOnly ? 0 : look.opacity;
  segmentation.config.style.setStyle(
    { type: SegmentationRepresentations.Labelmap, viewportId, segmentationId: entry.segmentationId },
    { fillAlpha: fill, fillAlphaInactive: fill, renderFill: !look.outlineOnly, renderFillInactive: !look.outlineOnly, renderOutline: true, renderOutlineInactive: true, outlineWidth: look.outlineOnly ? 2 : 1 },
  );
  if (look.activeValue && owner === MINE) segmentation.segmentIndex.setActiveSegmentIndex(entry.segmentationId, look.activeValue);
}

export function hideLabelmap(viewportId: string, seriesUid: string, owner = MINE) {
  const entry = labelmaps.get(keyOf(owner, seriesUid));
  if (entry) segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: entry.segmentationId });
}

/**
 * The reader's own labelmaps' voxels per series (columns × rows × slices, slices in stack order):
 * layer 0, then each overlap layer holding something, every voxel its segment's value.
 */
export function readLabelmaps(): { seriesUid: string; columns: number; rows: number; slices: number; layers: Uint8Array[] }[] {
  return [...labelmaps.values()]
    .filter((entry) => entry.owner === MINE)
    .map((entry) => {
      const [first, ...overlaps] = layerStates(entry).map((layer) => segmentValues(readImages(entry, layer.imageIds ?? []), layer.labelToSegmentIndex));
      return { seriesUid: entry.seriesUid, columns: entry.columns, rows: entry.rows, slices: entry.labelmapImageIds.length, layers: [first!, ...overlaps.filter((l) => l.some(Boolean))] };
    });
}

/** A layer's voxels as segment values: Cornerstone paints a segment it moved onto a layer of its own as 1. */
function segmentValues(voxels: Uint8Array, labelToSegment: Record<number, number> = {}): Uint8Array {
  const lut = Uint8Array.from({ length: 256 }, (_, v) => v);
  let identity = true;
  for (const [label, segment] of Object.entries(labelToSegment)) {
    lut[Number(label)] = segment;
    identity &&= Number(label) === segment;
  }
  if (!identity) for (let i = 0; i < voxels.length; i++) if (voxels[i]) voxels[i] = lut[voxels[i]!]!;
  return voxels;
}

function readVoxels(entry: SeriesLabelmap): Uint8Array {
  return readImages(entry, entry.labelmapImageIds);
}

function readImages(entry: SeriesLabelmap, imageIds: readonly string[]): Uint8Array {
  const slice = entry.columns * entry.rows;
  const volume = new Uint8Array(slice * imageIds.length);
  imageIds.forEach((id, k) => {
    const image = cache.getImage(id);
    // Labelmap images are cache entries; the viewer sizes the cache so none is dropped, and a
    // save that would lose voxels is refused rather than made.
    if (!image) throw new Error('A labelmap slice was dropped from memory: reload the page to continue from your last save.');
    volume.set(image.voxelManager!.getScalarData() as Uint8Array, k * slice);
  });
  return volume;
}

/**
 * Segmentations whose next data-modified event is a restore of saved voxels, not the reader's edit.
 * Cornerstone delivers that event later than the restore returns, so a flag around it would miss it.
 */
const restoring = new Set<string>();

function writeImages(entry: SeriesLabelmap, imageIds: readonly string[], voxels: Uint8Array) {
  const slice = entry.columns * entry.rows;
  imageIds.forEach((id, k) => cache.getImage(id)?.voxelManager?.setFromScalarData(voxels.subarray(k * slice, (k + 1) * slice)));
}

/**
 * Fills segment `value` between the slices the reader drew it on (lib/annotations/interpolate-labelmap),
 * on the layer it is on, as one undoable step; returns the voxels written.
 */
export function interpolateSeries(seriesUid: string, value: number): number {
  const entry = labelmaps.get(keyOf(MINE, seriesUid));
  if (!entry) return 0;
  const { imageIds, labelValue } = segmentTarget(entry, value);
  const before = readImages(entry, imageIds);
  const after = before.slice();
  const written = interpolateLabelmap(after, entry.columns, entry.rows, imageIds.length, labelValue);
  if (!written) return 0;
  writeUndoably(entry, imageIds, before, after);
  return written;
}

/**
 * Replaces the reader's labelmap of a series with `voxels` (an AI proposal, in stack order) as one
 * undoable step. 'size' when the series has no labelmap here or the volume is not the same size;
 * 'overlap' when segments of it overlap others (on layers a proposal would leave stranded).
 */
export function replaceSeriesVoxels(seriesUid: string, voxels: Uint8Array): true | 'size' | 'overlap' {
  const entry = labelmaps.get(keyOf(MINE, seriesUid));
  if (!entry || voxels.length !== entry.columns * entry.rows * entry.labelmapImageIds.length) return 'size';
  if (layerStates(entry).slice(1).some((layer) => readImages(entry, layer.imageIds ?? []).some(Boolean))) return 'overlap';
  writeUndoably(entry, entry.labelmapImageIds, readVoxels(entry), voxels);
  return true;
}

function writeUndoably(entry: SeriesLabelmap, imageIds: readonly string[], before: Uint8Array, after: Uint8Array) {
  const write = (voxels: Uint8Array) => {
    writeImages(entry, imageIds, voxels);
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(entry.segmentationId);
  };
  write(after);
  csUtils.HistoryMemo.DefaultHistoryMemo.push({ restoreMemo: (undo) => write(undo ? before : after) });
}

/**
 * Runs `edit`, a tool changing the slice shown in `viewportId` without recording it (Cornerstone's
 * fill), as one undoable step on the reader's labelmap: on every layer, since the tool writes on the
 * layer of the segment it paints.
 */
export function asUndoableSliceEdit<T>(viewportId: string, edit: () => T): T {
  const viewport = getEnabledElementByViewportId(viewportId)?.viewport;
  const segmentationId = segmentation.activeSegmentation.getActiveSegmentation(viewportId)?.segmentationId;
  const entry = [...labelmaps.values()].find((e) => e.owner === MINE && e.segmentationId === segmentationId);
  const index = viewport && 'getCurrentImageIdIndex' in viewport ? (viewport as Types.IStackViewport).getCurrentImageIdIndex() : undefined;
  const slices = () =>
    new Map(
      entry && index !== undefined
        ? layerStates(entry).flatMap((layer) => {
            const imageId = layer.imageIds?.[index];
            const voxels = imageId ? (cache.getImage(imageId)?.voxelManager?.getScalarData() as Uint8Array | undefined) : undefined;
            return imageId && voxels ? [[imageId, voxels.slice()] as const] : [];
          })
        : [],
    );
  const before = slices();
  const result = edit();
  const changed = [...slices()].flatMap(([imageId, after]) => {
    const was = before.get(imageId) ?? new Uint8Array(after.length);
    return was.every((v, i) => v === after[i]) ? [] : [{ imageId, before: was, after }];
  });
  if (entry && changed.length) {
    const write = (undo?: boolean) => {
      for (const c of changed) cache.getImage(c.imageId)?.voxelManager?.setFromScalarData(undo ? c.before : c.after);
      segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(entry.segmentationId);
    };
    csUtils.HistoryMemo.DefaultHistoryMemo.push({ restoreMemo: write });
  }
  return result;
}

/** Removes every labelmap and annotation this viewer made (its global state outlives components). */
export function destroyLabeling() {
  for (const entry of labelmaps.values()) {
    const imageIds = layerStates(entry).flatMap((layer) => layer.imageIds ?? []);
    segmentation.removeSegmentation(entry.segmentationId);
    for (const id of new Set([...entry.labelmapImageIds, ...imageIds])) if (cache.getImage(id)) cache.removeImageLoadObject(id);
  }
  labelmaps.clear();
  restoring.clear();
  annotation.state.removeAllAnnotations();
}

function colorLut(segments: readonly SegmentStyle[]): Types.ColorLUT {
  const lut: Types.ColorLUT = Array.from({ length: 256 }, () => [0, 0, 0, 0] as Types.Color);
  for (const s of segments) lut[s.value] = [...hexRgb(s.color), 255] as Types.Color;
  return lut;
}

export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// ---- Regions and measurements: Cornerstone annotations <-> pixel coordinates on an image ----

export const REGION_TOOLS = { box: RectangleROITool.toolName, polygon: PlanarFreehandROITool.toolName } as const;
export const MEASUREMENT_TOOLS = { length: LengthTool.toolName, angle: AngleTool.toolName } as const;

type ImageRef = { seriesUid: string; sopInstanceUid: string; frame: number; imageId: string };

/** Where each stack image of the loaded series is, by imageId. */
function imageIndex(): Map<string, ImageRef> {
  const index = new Map<string, ImageRef>();
  for (const entry of labelmaps.values()) {
    const { seriesUid } = entry;
    entry.series.images.forEach((image, k) => index.set(entry.series.imageIds[k]!, { seriesUid, sopInstanceUid: image.sopInstanceUid, frame: image.frame, imageId: entry.series.imageIds[k]! }));
  }
  return index;
}

const toPixel = (imageId: string, p: Types.Point3): [number, number] => {
  const [x, y] = csUtils.worldToImageCoords(imageId, p) as [number, number];
  return [round(x), round(y)];
};
const round = (v: number) => Math.round(v * 100) / 100;

/** The regions and measurements drawn on the loaded series, in pixel coordinates. */
export function readAnnotations(): Pick<AnnotationContent, 'regions' | 'measurements'> {
  const images = imageIndex();
  const regions: AnnotationContent['regions'] = [];
  const measurements: AnnotationContent['measurements'] = [];
  for (const a of annotation.state.getAllAnnotations()) {
    const ref = a.metadata?.referencedImageId ? images.get(a.metadata.referencedImageId) : undefined;
    if (!ref || !a.annotationUID) continue;
    const on = { seriesInstanceUid: ref.seriesUid, sopInstanceUid: ref.sopInstanceUid, frame: ref.frame };
    const tool = a.metadata?.toolName;
    const classId = typeof a.data.classId === 'string' ? a.data.classId : null;
    if (tool === REGION_TOOLS.box && classId) {
      const pts = (a.data.handles?.points ?? []).map((p) => toPixel(ref.imageId, p));
      if (pts.length < 2) continue;
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      regions.push({ id: a.annotationUID, classId, shape: 'box', ...on, points: [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]] });
    } else if (tool === REGION_TOOLS.polygon && classId) {
      const polyline = (a.data.contour as { polyline?: Types.Point3[] } | undefined)?.polyline ?? [];
      if (polyline.length >= 3) regions.push({ id: a.annotationUID, classId, shape: 'polygon', ...on, points: polyline.map((p) => toPixel(ref.imageId, p)) });
    } else if (tool === MEASUREMENT_TOOLS.length || tool === MEASUREMENT_TOOLS.angle) {
      const pts = (a.data.handles?.points ?? []).map((p) => toPixel(ref.imageId, p));
      const kind = tool === MEASUREMENT_TOOLS.length ? 'length' : 'angle';
      if (pts.length === (kind === 'length' ? 2 : 3)) measurements.push({ id: a.annotationUID, kind, ...on, points: pts });
    }
  }
  return { regions, measurements };
}

/**
 * Draws saved regions and measurements on the series shown in `viewportId`. Cornerstone needs an
 * enabled viewport showing the image's series to place an annotation, hence per viewport.
 */
export function restoreAnnotations(
  viewportId: string,
  seriesUid: string,
  content: Pick<AnnotationContent, 'regions' | 'measurements'>,
  colorOf: (classId: string) => string | undefined,
  { owner = MINE, locked = false }: { owner?: string; locked?: boolean } = {},
) {
  const entry = labelmaps.get(keyOf(owner, seriesUid));
  if (!entry) return;
  const imageIdOf = new Map(entry.series.images.map((image, k) => [`${image.sopInstanceUid}/${image.frame}`, entry.series.imageIds[k]!]));
  const existing = new Set(annotation.state.getAllAnnotations().map((a) => a.annotationUID));
  const world = (imageId: string, [x, y]: [number, number]) => csUtils.imageToWorldCoords(imageId, [x, y]) as Types.Point3;
  for (const item of [...content.regions, ...content.measurements]) {
    if (item.seriesInstanceUid !== seriesUid || existing.has(item.id)) continue;
    const imageId = imageIdOf.get(`${item.sopInstanceUid}/${item.frame}`);
    if (!imageId) continue;
    const options = { annotationUID: item.id, referencedImageId: imageId };
    if ('shape' in item && item.shape === 'box') {
      const [[x0, y0], [x1, y1]] = item.points as [[number, number], [number, number]];
      RectangleROITool.hydrate(viewportId, [world(imageId, [x0, y0]), world(imageId, [x1, y0]), world(imageId, [x0, y1]), world(imageId, [x1, y1])], options);
    } else if ('shape' in item) {
      addPolygon(viewportId, imageId, item.id, item.points.map((p) => world(imageId, p)));
    } else if (item.kind === 'length') {
      LengthTool.hydrate(viewportId, item.points.map((p) => world(imageId, p)), options);
    } else {
      AngleTool.hydrate(viewportId, item.points.map((p) => world(imageId, p)), options);
    }
    const restored = annotation.state.getAnnotation(item.id);
    if (restored && 'classId' in item) labelRegion(restored, item.classId, colorOf(item.classId));
    if (restored && owner !== MINE) setDrawingOwner(restored, owner);
    // A reviewer looks at readers' drawings; they do not move them.
    if (restored && locked) restored.isLocked = true;
  }
}

/** A closed freehand polygon (PlanarFreehandROI has no hydrate): the shape its tool makes itself. */
function addPolygon(viewportId: string, imageId: string, uid: string, polyline: Types.Point3[]) {
  const viewport = getEnabledElementByViewportId(viewportId)?.viewport;
  if (!viewport) return;
  annotation.state.addAnnotation(
    {
      annotationUID: uid,
      highlighted: false,
      invalidated: true,
      isLocked: false,
      isVisible: true,
      autoGenerated: false,
      metadata: { toolName: REGION_TOOLS.polygon, referencedImageId: imageId, FrameOfReferenceUID: viewport.getFrameOfReferenceUID() },
      data: { handles: { points: [], activeHandleIndex: null, textBox: { hasMoved: false, worldPosition: [0, 0, 0], worldBoundingBox: undefined } }, contour: { polyline, closed: true }, label: '', cachedStats: {} },
    } as unknown as Parameters<typeof annotation.state.addAnnotation>[0],
    viewport.element,
  );
}

/** Binds a region to its schema class: stored on the annotation, shown as its label and colour. */
export function labelRegion(a: { annotationUID?: string; data: Record<string, unknown> }, classId: string, color: string | undefined) {
  a.data.classId = classId;
  if (color && a.annotationUID) annotation.config.style.setAnnotationStyles(a.annotationUID, { color: `rgb(${hexRgb(color).join(',')})` });
}

/** Calls `onChange` when labels change (painted voxels, regions, measurements); returns the unsubscribe. */
export function onLabelsChanged(onChange: (what: 'voxels' | 'annotations') => void, onCompleted: (a: { annotationUID?: string; metadata: { toolName: string }; data: Record<string, unknown> }) => void): () => void {
  const voxels = (e: Event) => {
    if (!restoring.delete((e as CustomEvent<{ segmentationId: string }>).detail.segmentationId)) onChange('voxels');
  };
  const completed = (e: Event) => {
    onCompleted((e as CustomEvent<{ annotation: Parameters<typeof onCompleted>[0] }>).detail.annotation);
    onChange('annotations');
  };
  const modified = (e: Event) => {
    if ((e as CustomEvent<{ changeType?: string }>).detail.changeType !== ChangeTypes.StatsUpdated) onChange('annotations');
  };
  const removed = () => onChange('annotations');
  // A drawing redone after its undo is put back without any annotation event: only the history says so.
  const history = () => onChange('annotations');
  eventTarget.addEventListener(ToolEvents.SEGMENTATION_DATA_MODIFIED, voxels);
  eventTarget.addEventListener(ToolEvents.ANNOTATION_COMPLETED, completed);
  eventTarget.addEventListener(ToolEvents.ANNOTATION_MODIFIED, modified);
  eventTarget.addEventListener(ToolEvents.ANNOTATION_REMOVED, removed);
  eventTarget.addEventListener(ToolEvents.HISTORY_UNDO, history);
  eventTarget.addEventListener(ToolEvents.HISTORY_REDO, history);
  return () => {
    eventTarget.removeEventListener(ToolEvents.SEGMENTATION_DATA_MODIFIED, voxels);
    eventTarget.removeEventListener(ToolEvents.ANNOTATION_COMPLETED, completed);
    eventTarget.removeEventListener(ToolEvents.ANNOTATION_MODIFIED, modified);
    eventTarget.removeEventListener(ToolEvents.ANNOTATION_REMOVED, removed);
    eventTarget.removeEventListener(ToolEvents.HISTORY_UNDO, history);
    eventTarget.removeEventListener(ToolEvents.HISTORY_REDO, history);
  };
}

export const history = {
  undo: () => csUtils.HistoryMemo.DefaultHistoryMemo.undo(),
  redo: () => csUtils.HistoryMemo.DefaultHistoryMemo.redo(),
};

/** Shows the annotations in `visible` and hides the rest of `all` (a reviewer toggling readers). */
export function setAnnotationsVisible(visible: readonly string[], all: readonly string[]) {
  const show = new Set(visible);
  for (const uid of all) annotation.visibility.setAnnotationVisibility(uid, show.has(uid));
}
