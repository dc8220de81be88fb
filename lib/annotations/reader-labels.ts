import { getDb } from '@/lib/db/client';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { byLayerGroups, layerOf, mergedCounts } from './labelmap-layers.client';
import type { AnnotationContent } from './schemas';

export type ReaderLabel = {
  annotationId: string;
  studyId: string;
  readerId: string;
  readerName: string;
  status: string;
  version: number;
  content: AnnotationContent;
  /** By Series Instance UID: size, voxels per segment, and the rle1 bytes of the layer holding a segment (read on demand). */
  labelmaps: Map<string, SeriesLabelmap>;
};

export type SeriesLabelmap = {
  voxelCount: number;
  /** Over all the series' layers. */
  counts: Record<string, number>;
  /** The layer segment `value` is on (0 when it is on none). */
  layerOf: (value: number) => number;
  rle: (layer: number) => Promise<Uint8Array>;
};

/** The latest saved version of every reader's copy in a project (optionally of some studies). */
export async function findReaderLabels(projectId: string, studyIds?: readonly string[]): Promise<ReaderLabel[]> {
  const db = getDb();
  const annotations = await db.annotation.findMany({
    where: { projectId, version: { gt: 0 }, ...(studyIds ? { studyId: { in: [...studyIds] } } : {}) },
    orderBy: { createdAt: 'asc' },
  });
  const versions = await db.annotationVersion.findMany({
    where: { OR: annotations.map((a) => ({ annotationId: a.id, version: a.version })) },
    include: { labelmaps: true },
  });
  const seriesIds = [...new Set(versions.flatMap((v) => v.labelmaps.map((l) => l.seriesId)))];
  const seriesUid = new Map((await db.series.findMany({ where: { id: { in: seriesIds } }, select: { id: true, seriesInstanceUid: true } })).map((s) => [s.id, s.seriesInstanceUid]));
  const names = new Map((await db.user.findMany({ where: { id: { in: [...new Set(annotations.map((a) => a.readerId))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const blobs = getBlobStore();
  return annotations.flatMap((a) => {
    const v = versions.find((x) => x.annotationId === a.id);
    if (!v) return [];
    return [
      {
        annotationId: a.id,
        studyId: a.studyId,
        readerId: a.readerId,
        readerName: names.get(a.readerId) ?? 'Former user',
        status: a.status,
        version: a.version,
        content: JSON.parse(v.content) as AnnotationContent,
        labelmaps: new Map(
          [...byLayerGroups(v.labelmaps.map((l) => ({ ...l, counts: JSON.parse(l.counts) as Record<string, number> })), (l) => l.seriesId)].map(([seriesId, layers]) => [
            seriesUid.get(seriesId) ?? seriesId,
            {
              voxelCount: layers[0]!.columns * layers[0]!.rows * layers[0]!.slices,
              counts: mergedCounts(layers),
              layerOf: (value: number) => layerOf(layers, value)?.layer ?? 0,
              rle: async (layer: number) => new Uint8Array(await blobs.read((layers.find((l) => l.layer === layer) ?? layers[0]!).sha256)),
            },
          ]),
        ),
      },
    ];
  });
}
