import dicomParser from 'dicom-parser';
import type { SessionUser } from '@/lib/auth/session-user';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { pseudonymOf } from '@/lib/ledger/pseudonym';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { requireAnnotationAccess } from './annotation-access';
import { DicomSegError, exportDicomSeg, importDicomSeg, type SegSource } from './dicom-seg';
import { getAnnotation } from './get-annotation';
import { decodeLabelmapRle, encodeLabelmapRle } from './labelmap-rle.client';
import { saveAnnotation, type SaveResult } from './save-annotation';
import { seriesSegSource } from './seg-source';

type User = Pick<SessionUser, 'id' | 'roles'>;

/**
 * The latest saved labelmap of one series as a DICOM-SEG file, for other tools (OHIF, 3D Slicer). It
 * carries the patient's identity like the images it segments, so it goes to the people who read those
 * (the project's readers and reviewers, admins); ML engineers get labels de-identified, in datasets.
 */
export async function exportAnnotationSeg({ user, annotationId, seriesInstanceUid }: { user: User; annotationId: string; seriesInstanceUid: string }): Promise<{ bytes: Uint8Array; filename: string }> {
  const annotation = await requireAnnotationAccess(user, annotationId, 'read');
  const member = annotation.project.members.length > 0;
  if (!member && !user.roles.includes('admin')) throw new AppError('FORBIDDEN', 'DICOM-SEG files identify the patient: export labels de-identified in a dataset instead.');
  const db = getDb();
  const version = await db.annotationVersion.findUnique({
    where: { annotationId_version: { annotationId, version: annotation.version } },
    include: { schemaVersion: true, labelmaps: true },
  });
  const series = await db.series.findFirst({ where: { seriesInstanceUid, studyId: annotation.studyId }, include: { study: { select: { studyInstanceUid: true } } } });
  const stored = series ? (version?.labelmaps ?? []).filter((l) => l.seriesId === series.id).sort((a, b) => a.layer - b.layer) : [];
  if (!series || !version || !stored.length) throw new AppError('NOT_FOUND', 'No saved labelmap for this series: save your labels first.');
  const [voxels, ...overlapLayers] = await Promise.all(stored.map(async (l) => decodeLabelmapRle(await getBlobStore().read(l.sha256), l.columns * l.rows * l.slices)));
  const bytes = labelmapSeg({
    voxels: voxels!,
    overlapLayers,
    source: await seriesSegSource(series.study.studyInstanceUid, seriesInstanceUid),
    schema: version.schemaVersion.schema,
    version: version.version,
    readerId: annotation.readerId,
  });
  return { bytes, filename: `seg-${seriesInstanceUid}-v${version.version}.dcm` };
}

/**
 * A decoded labelmap (with its overlap layers) as a DICOM-SEG over its series (identified like the
 * images: datasets de-identify it with them). CONFLICT when the SEG cannot be made (e.g. an empty labelmap).
 */
export function labelmapSeg(opts: {
  voxels: Uint8Array;
  /** Layers 1, 2, … of the series, decoded. */
  overlapLayers?: readonly Uint8Array[];
  /** The series as seriesSegSource reads it (its images in the labelmap's slice order). */
  source: SegSource;
  /** The stored schema version's JSON. */
  schema: string;
  version: number;
  readerId: string;
}): Uint8Array {
  try {
    return exportDicomSeg({
      labelmap: opts.voxels,
      overlapLayers: opts.overlapLayers,
      source: opts.source,
      segments: parseStoredSchema(opts.schema).segments,
      seriesDescription: `Cohort labels v${opts.version}`,
      contentCreator: pseudonymOf(opts.readerId),
    });
  } catch (err) {
    if (err instanceof DicomSegError) throw new AppError('CONFLICT', err.message);
    throw err;
  }
}

/**
 * Loads a DICOM-SEG made by any tool into the reader's label as a new version: its segments matched
 * to the schema's by code or name, its frames placed on the series' images; the rest of the label
 * (other series, regions, answers, unsaved work) stays as it was.
 */
export async function importAnnotationSeg({ user, annotationId, bytes }: { user: User; annotationId: string; bytes: Uint8Array }): Promise<SaveResult & { mapping: { segmentNumber: number; label: string; value: number | null }[]; warnings: string[] }> {
  const annotation = await requireAnnotationAccess(user, annotationId, 'edit');
  const seriesInstanceUid = referencedSeriesOf(bytes);
  const series = await getDb().series.findFirst({ where: { seriesInstanceUid, studyId: annotation.studyId }, include: { study: { select: { studyInstanceUid: true } } } });
  if (!series) throw new AppError('BAD_REQUEST', `The segmentation is of series ${seriesInstanceUid}, which is not in this study.`);
  const view = await getAnnotation(user, annotationId);
  const current = view.draft ?? view.saved;
  let imported;
  try {
    imported = await importDicomSeg(bytes, await seriesSegSource(series.study.studyInstanceUid, seriesInstanceUid), view.schema.schema.segments);
  } catch (err) {
    if (err instanceof DicomSegError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
  const { columns, rows } = await getDb().instance.findFirstOrThrow({ where: { seriesId: series.id }, select: { columns: true, rows: true } });
  const slices = imported.labelmap.length / ((columns ?? 1) * (rows ?? 1));
  const cited = current?.proposals ?? [];
  const segmentations = new Set(
    (await getDb().aiProposal.findMany({ where: { id: { in: cited.map((p) => p.proposalId) }, task: 'segmentation' }, select: { id: true } })).map((p) => p.id),
  );
  const result = await saveAnnotation({
    user,
    annotationId,
    input: {
      baseVersion: view.version,
      schemaVersion: view.schema.version,
      reason: 'save',
      content: current?.content ?? { regions: [], measurements: [], answers: [] },
      labelmaps: [
        ...(current?.labelmaps ?? []).filter((l) => l.seriesInstanceUid !== seriesInstanceUid).map(({ counts: _, ...l }) => l),
        // Segments that overlap others come on layers of their own: nothing the SEG holds is lost.
        ...[imported.labelmap, ...imported.overlapLayers].map((voxels, layer) => ({ seriesInstanceUid, layer, columns: columns ?? 0, rows: rows ?? 0, slices, rle: Buffer.from(encodeLabelmapRle(voxels)).toString('base64') })),
      ],
      // The imported series' labelmap no longer starts from a proposal; its boxes and answers, and the other series, keep theirs.
      proposals: cited.filter((p) => p.seriesInstanceUid !== seriesInstanceUid || !segmentations.has(p.proposalId)),
    },
  });
  return { ...result, mapping: imported.mapping, warnings: imported.warnings };
}

/** The series a SEG segments (Referenced Series Sequence), read before anything else is. */
function referencedSeriesOf(bytes: Uint8Array): string {
  try {
    const data = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
    const uid = data.elements.x00081115?.items?.[0]?.dataSet?.string('x0020000e');
    if (uid) return uid.trim();
  } catch {
    throw new AppError('BAD_REQUEST', 'The file is not a DICOM file.');
  }
  throw new AppError('BAD_REQUEST', 'The segmentation does not say which series it segments (no Referenced Series Sequence).');
}
