import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { Split } from '../schemas';
import { frameKey, type CocoFrame } from './coco-frames';
import type { ExportFile } from './nnunet-layout';

/**
 * COCO object detection / instance segmentation JSON for the 2D regions (boxes and polygons), with
 * one windowed 8-bit PNG per labeled frame (docs/dataset-formats.md):
 *
 *   coco/images/<study>/<SOP Instance UID>_<frame>.png
 *   coco/annotations/instances_train.json, instances_val.json, instances_test.json
 *
 * Built in two steps so a large dataset never holds more than one study's frames: cocoStudy per study
 * (PNGs to write, and small JSON entries to keep), then cocoAnnotationFiles over all studies' entries.
 * Region points are pixel coordinates [column, row] with (0, 0) the top-left corner of the image (the
 * viewer's, and COCO's, convention: pixel (c, r) covers [c, c+1) × [r, r+1)). Pure.
 */

export const COCO_ROOT = 'coco';

/** A region as the labels file holds it (UIDs already remapped). */
export type CocoRegionInput = { id: string; classId: string; shape: 'box' | 'polygon'; sopInstanceUid: string; frame: number; points: [number, number][] };

export type CocoImageEntry = { file_name: string; width: number; height: number; study: string; sop_instance_uid: string; frame: number };
export type CocoRegionEntry = {
  file_name: string;
  class_id: string;
  region_id: string;
  bbox: [number, number, number, number];
  area: number;
  /** Polygons only: one flattened ring [x1, y1, x2, y2, …]. Boxes carry no segmentation. */
  segmentation?: number[][];
};

/** One study's part of the COCO files: JSON-serialisable, to keep until cocoAnnotationFiles. */
export type CocoStudyPart = { split: Split; images: CocoImageEntry[]; regions: CocoRegionEntry[]; skipped: { study: string; regionId: string; reason: string }[] };

type RegionClasses = Pick<LabelSchema, 'boxes' | 'polygons'>;

/**
 * One study's regions as COCO entries, and the PNGs of the frames they are drawn on. A region is
 * skipped (with the reason) when its class is not in the schema, its frame is missing or cannot be
 * decoded (`frames` maps frameKey to the frame or the reason: cocoFrames), or nothing of it lies
 * inside the image. Points outside the image are clamped to its edges.
 */
export function cocoStudy({ study, split, regions, frames, schema }: { study: string; split: Split; regions: readonly CocoRegionInput[]; frames: ReadonlyMap<string, CocoFrame | string>; schema: RegionClasses }): { part: CocoStudyPart; pngs: { path: string; content: Buffer }[] } {
  const classes = new Set([...schema.boxes, ...schema.polygons].map((c) => c.id));
  const part: CocoStudyPart = { split, images: [], regions: [], skipped: [] };
  const pngs: { path: string; content: Buffer }[] = [];
  const imageOf = new Map<string, CocoImageEntry>();
  const skip = (region: CocoRegionInput, reason: string) => part.skipped.push({ study, regionId: region.id, reason });
  for (const region of regions) {
    if (!classes.has(region.classId)) {
      skip(region, `class "${region.classId}" is not a box or polygon class of the schema`);
      continue;
    }
    const key = frameKey(region.sopInstanceUid, region.frame);
    const frame = frames.get(key);
    if (frame === undefined || typeof frame === 'string') {
      skip(region, frame ?? 'its image is not in the dataset');
      continue;
    }
    const geometry = regionGeometry(region, frame.columns, frame.rows);
    if (!geometry) {
      skip(region, 'it has no area inside the image');
      continue;
    }
    let image = imageOf.get(key);
    if (!image) {
      const fileName = `${study}/${region.sopInstanceUid}_${region.frame}.png`;
      image = { file_name: fileName, width: frame.columns, height: frame.rows, study, sop_instance_uid: region.sopInstanceUid, frame: region.frame };
      imageOf.set(key, image);
      part.images.push(image);
      pngs.push({ path: `${COCO_ROOT}/images/${fileName}`, content: frame.png() });
    }
    part.regions.push({ file_name: image.file_name, class_id: region.classId, region_id: region.id, ...geometry });
  }
  return { part, pngs };
}

/**
 * A region's COCO geometry, clamped to a width × height image: bbox [x, y, w, h] and area w·h for
 * a box (from its two corners); for a polygon its ring flattened, the bbox of its points and the
 * area inside the ring (shoelace). Null when it covers no area in the image.
 */
export function regionGeometry(region: Pick<CocoRegionInput, 'shape' | 'points'>, width: number, height: number): Pick<CocoRegionEntry, 'bbox' | 'area' | 'segmentation'> | null {
  const points = region.points.map(([x, y]) => [round(clamp(x, width)), round(clamp(y, height))] as [number, number]);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const bbox: [number, number, number, number] = [x0, y0, round(x1 - x0), round(y1 - y0)];
  if (region.shape === 'box') {
    const area = round(bbox[2] * bbox[3]);
    return area > 0 ? { bbox, area } : null;
  }
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [ax, ay] = points[i]!;
    const [bx, by] = points[(i + 1) % points.length]!;
    twice += ax * by - bx * ay;
  }
  const area = round(Math.abs(twice) / 2);
  return area > 0 ? { bbox, area, segmentation: [points.flat()] } : null;
}

/**
 * The COCO annotation files of every split that has images: `images` (ids from 1, unique across the
 * files), `annotations` (iscrowd 0), `categories` (the schema's box then polygon classes, ids from 1,
 * `supercategory` the shape, `cohort_class_id` the schema id). Extra image fields (study,
 * sop_instance_uid, frame) lead back to the DICOM.
 */
export function cocoAnnotationFiles({ parts, schema, description }: { parts: readonly CocoStudyPart[]; schema: RegionClasses; description?: string }): ExportFile[] {
  const categories = [...schema.boxes.map((c) => ({ ...c, shape: 'box' })), ...schema.polygons.map((c) => ({ ...c, shape: 'polygon' }))].map((c, i) => ({
    id: i + 1,
    name: c.name,
    supercategory: c.shape,
    cohort_class_id: c.id,
  }));
  const categoryOf = new Map(categories.map((c) => [c.cohort_class_id, c.id]));
  const files: ExportFile[] = [];
  let imageId = 0;
  let annotationId = 0;
  for (const split of ['train', 'val', 'test'] as const) {
    const splitParts = parts.filter((p) => p.split === split);
    const images: (CocoImageEntry & { id: number })[] = [];
    const idOf = new Map<string, number>();
    for (const p of splitParts) {
      for (const image of p.images) {
        if (idOf.has(image.file_name)) continue;
        idOf.set(image.file_name, ++imageId);
        images.push({ id: imageId, ...image });
      }
    }
    if (!images.length) continue;
    const annotations = splitParts.flatMap((p) =>
      p.regions
        .filter((r) => categoryOf.has(r.class_id) && idOf.has(r.file_name))
        .map((r) => ({
          id: ++annotationId,
          image_id: idOf.get(r.file_name)!,
          category_id: categoryOf.get(r.class_id)!,
          bbox: r.bbox,
          area: r.area,
          ...(r.segmentation ? { segmentation: r.segmentation } : {}),
          iscrowd: 0,
          cohort_region_id: r.region_id,
        })),
    );
    const json = {
      info: { description: description ?? 'Exported by Cohort: de-identified frames with their box and polygon labels.', version: '1.0' },
      licenses: [],
      images,
      annotations,
      categories,
    };
    files.push({ path: `${COCO_ROOT}/annotations/instances_${split}.json`, content: JSON.stringify(json) + '\n' });
  }
  return files;
}

const clamp = (v: number, high: number) => Math.min(high, Math.max(0, v));
const round = (v: number) => Math.round(v * 100) / 100;
