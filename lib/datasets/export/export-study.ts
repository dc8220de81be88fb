import { labelmapSeg } from '@/lib/annotations/annotation-seg';
import { ZAnnotationContent, type AnnotationContent } from '@/lib/annotations/schemas';
import { parseStoredSchema } from '@/lib/projects/schema-version';
import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors/app-error';
import { seriesSegSource } from '@/lib/annotations/seg-source';
import { selectsSeries } from '@/lib/projects/series-rule.client';
import { findSeriesSelection } from '@/lib/projects/series-selection';
import { deidentifyInstance } from '@/lib/dicom/deidentify/deidentify-instance';
import { remapUid } from '@/lib/dicom/deidentify/remap-uid';
import type { DeidentifyOptions } from '@/lib/dicom/deidentify/schemas';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { giveBackBuffer, takeBuffer } from '@/lib/storage/reusable-buffers';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import { flattenLayers } from '@/lib/annotations/labelmap-layers.client';
import { decodeLabelmapRle } from '@/lib/annotations/labelmap-rle.client';
import { cocoStudy, type CocoStudyPart } from './coco-export';
import { cocoFrames } from './coco-frames';
import { niftiSeriesExport } from './nifti-series-export';
import { nnunetCaseId, nnunetCasePaths, nnunetLabelValues, type NnunetCase, type NnunetDataset } from './nnunet-layout';
import type { DatasetKeys } from '../dataset-keys';
import type { IncludedStudy } from '../select-dataset-studies';
import type { ManifestFile } from '../manifest/manifest-schema';
import type { PublicationWriter } from '../publish/publication-files';

/** How every instance of a dataset is de-identified: the Basic Profile with dates shifted per patient and descriptors cleaned. */
export const DEIDENTIFICATION = {
  profile: 'DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile',
  options: ['Retain Longitudinal Temporal Information with Modified Dates', 'Clean Descriptors'],
} as const;

export type StudyExport =
  | {
      ok: true;
      /** Its files as the manifest lists them. */
      files: ManifestFile[];
      series: number;
      instances: number;
      segmentations: number;
      models: { name: string; version: string; sha256: string }[];
      /** Its labeled series as nnU-Net / MONAI cases, and why others have no NIfTI. */
      cases: NnunetCase[];
      niftiSkipped: string[];
      /** Its boxes and polygons as COCO entries (their PNG frames are among `files`). */
      coco: CocoStudyPart | null;
    }
  | { ok: false; reason: string };

/** What the training layouts need from the version: the nnU-Net dataset folder, and one class list for every study. */
export type TrainingLayout = { nnunet: NnunetDataset; schema: Pick<LabelSchema, 'segments' | 'boxes' | 'polygons'> };

/**
 * Writes one study of a dataset into the staging directory: each series its label refers to (or, for
 * a study-level label, the series its project labels, of the dataset's modalities) as de-identified DICOM in stack
 * order, a de-identified DICOM-SEG per labeled series, its labeled series as NIfTI in the nnU-Net
 * layout (test-split series too, labeled or not), the frames its boxes and polygons are drawn on as
 * PNG for COCO, and its labels as JSON with remapped UIDs.
 * Refuses (ok: false) a study whose images may carry burned-in text, unless an admin cleared it:
 * pixels are never scrubbed.
 */
export async function exportStudy({
  study,
  keys,
  writer,
  modalities,
  training,
}: {
  study: IncludedStudy;
  keys: DatasetKeys;
  /** Where its files go, encrypted or not (lib/datasets/publish/publication-files.ts). */
  writer: PublicationWriter;
  modalities: readonly string[];
  training: TrainingLayout;
}): Promise<StudyExport> {
  const db = getDb();
  const version = await db.annotationVersion.findUniqueOrThrow({
    where: { id: study.annotationVersionId },
    select: { version: true, content: true, proposals: true, schemaVersion: { select: { schema: true } }, annotation: { select: { readerId: true } }, labelmaps: true },
  });
  const record = await db.study.findUniqueOrThrow({ where: { id: study.studyId }, select: { studyInstanceUid: true, series: { orderBy: [{ seriesNumber: 'asc' }, { seriesInstanceUid: 'asc' }] } } });
  const content = ZAnnotationContent.parse(JSON.parse(version.content));
  const referenced = new Set([
    ...version.labelmaps.map((l) => l.seriesId),
    ...record.series.filter((s) => [...content.regions, ...content.measurements, ...content.answers].some((r) => r.seriesInstanceUid === s.seriesInstanceUid)).map((s) => s.id),
  ]);
  const series = referenced.size ? record.series.filter((s) => referenced.has(s.id)) : await studyLevelSeries(record.series, modalities, study.projectId, study.studyId);

  const id = study.studyId;
  const pseudonym = keys.studyPseudonym(id);
  const deid: DeidentifyOptions = {
    uidKey: keys.uidKey,
    patientPseudonym: keys.patientPseudonym(study.patientId),
    retainLongitudinalTemporalInformation: 'modified-dates',
    dateShiftDays: keys.dateShiftDays(study.patientId),
    cleanDescriptors: true,
  };
  const files: ManifestFile[] = [];
  const cases: NnunetCase[] = [];
  const niftiSkipped: string[] = [];
  const studyBytes: Uint8Array[] = [];
  let instances = 0;
  let segmentations = 0;
  const blobs = getBlobStore();
  for (const [index, s] of series.entries()) {
    const folder = `dicom/${pseudonym}/s${String(index + 1).padStart(2, '0')}`;
    const stack = await seriesSegSource(record.studyInstanceUid, s.seriesInstanceUid);
    const sopUids = [...new Set(stack.images.map((i) => i.sopInstanceUid))];
    const rows = new Map((await db.instance.findMany({ where: { sopInstanceUid: { in: sopUids } }, select: { sopInstanceUid: true, sha256: true } })).map((r) => [r.sopInstanceUid, r.sha256]));
    const seriesBytes: Uint8Array[] = [];
    for (const [n, uid] of sopUids.entries()) {
      const { bytes, report } = deidentifyInstance(await blobs.read(rows.get(uid)!), deid);
      if (report.flags.burnedInAnnotation.flagged && !study.burnedInCleared) return { ok: false, reason: `burned-in text risk: ${report.flags.burnedInAnnotation.reason}` };
      files.push(await writer.write({ path: `${folder}/${String(n + 1).padStart(4, '0')}.dcm`, kind: 'dicom', study: pseudonym }, bytes));
      seriesBytes.push(bytes);
      instances += 1;
    }
    const [labelmap, ...overlaps] = version.labelmaps.filter((l) => l.seriesId === s.id).sort((a, b) => a.layer - b.layer);
    // Decoded once, for both the NIfTI label and the DICOM-SEG.
    // Its memory goes back for the next series once the NIfTI and the SEG are made.
    const voxelCount = labelmap ? labelmap.columns * labelmap.rows * labelmap.slices : 0;
    const voxels = labelmap ? decodeLabelmapRle(await blobs.read(labelmap.sha256), voxelCount, new Uint8Array(takeBuffer(voxelCount), 0, voxelCount)) : null;
    // Segments overlapping others (rare: their own layers): the SEG keeps every one whole; one-label-per-voxel formats take the flattened labelmap.
    const overlapLayers = await Promise.all(overlaps.map(async (l) => decodeLabelmapRle(await blobs.read(l.sha256), voxelCount)));
    const flat = voxels && overlapLayers.length ? flattenLayers([voxels, ...overlapLayers]) : voxels;
    // Training formats: a labeled series (or any series of a test-split study) as NIfTI in the nnU-Net layout.
    const paths = nnunetCasePaths({ dataset: training.nnunet, caseId: nnunetCaseId(pseudonym, index), split: study.split, labeled: !!labelmap });
    if (paths && training.schema.segments.length) {
      const nifti = await niftiSeriesExport({
        instances: seriesBytes,
        labelmap: flat && labelmap ? { voxels: flat, columns: labelmap.columns, rows: labelmap.rows, slices: labelmap.slices } : null,
        labelValues: nnunetLabelValues(training.schema.segments),
      });
      if ('skipped' in nifti) niftiSkipped.push(`${pseudonym} series ${index + 1}: ${nifti.skipped}`);
      else {
        files.push(await writer.write({ path: paths.image, kind: 'nifti-image', study: pseudonym }, nifti.image));
        if (paths.label && nifti.label) files.push(await writer.write({ path: paths.label, kind: 'nifti-label', study: pseudonym }, nifti.label));
        cases.push({ id: nnunetCaseId(pseudonym, index), split: study.split, modality: nifti.modality, image: paths.image, label: paths.label && nifti.label ? paths.label : null });
      }
    }
    if (content.regions.length) studyBytes.push(...seriesBytes);
    if (voxels) {
      try {
        const seg = labelmapSeg({ voxels, overlapLayers, source: stack, schema: version.schemaVersion.schema, version: version.version, readerId: version.annotation.readerId });
        files.push(await writer.write({ path: `${folder}-seg.dcm`, kind: 'dicom-seg', study: pseudonym }, deidentifyInstance(seg, deid).bytes));
        segmentations += 1;
      } catch (err) {
        // An empty labelmap has nothing to encode; its study-level classes are still in the labels file.
        if (!isAppError(err, 'CONFLICT')) throw err;
      }
      giveBackBuffer(voxels.buffer);
    }
  }

  const schema = parseStoredSchema(version.schemaVersion.schema);
  let coco: CocoStudyPart | null = null;
  if (content.regions.length) {
    const regions = remapLabelUids(content, keys.uidKey).regions.map(({ id: regionId, classId, shape, sopInstanceUid, frame, points }) => ({ id: regionId, classId, shape, sopInstanceUid, frame, points: points as [number, number][] }));
    const frames = await cocoFrames(studyBytes, regions);
    const exported = cocoStudy({ study: pseudonym, split: study.split, regions, frames, schema: training.schema });
    for (const png of exported.pngs) files.push(await writer.write({ path: png.path, kind: 'coco-image', study: pseudonym }, png.content));
    coco = exported.part;
  }
  const labels = {
    study: pseudonym,
    split: study.split,
    labelStatus: study.labelStatus,
    classes: study.classes,
    segments: schema.segments.map((seg) => ({ value: seg.value, name: seg.name, ...(seg.code ? { code: seg.code } : {}) })),
    ...remapLabelUids(content, keys.uidKey),
  };
  files.push(await writer.write({ path: `labels/${pseudonym}.json`, kind: 'labels-json', study: pseudonym }, JSON.stringify(labels, null, 2) + '\n'));

  const proposals = JSON.parse(version.proposals) as { proposalId: string }[];
  const models = proposals.length
    ? await db.aiProposal.findMany({ where: { id: { in: proposals.map((p) => p.proposalId) } }, select: { modelName: true, modelVersion: true, modelSha256: true } })
    : [];
  return {
    ok: true,
    files,
    series: series.length,
    instances,
    segmentations,
    models: models.map((m) => ({ name: m.modelName, version: m.modelVersion, sha256: m.modelSha256 })),
    cases,
    niftiSkipped,
    coco,
  };
}

/** Regions, measurements and answers with every UID replaced the way the DICOM files' were. */
function remapLabelUids(content: AnnotationContent, key: Uint8Array) {
  const uid = (u: string) => remapUid(u, key);
  return {
    regions: content.regions.map((r) => ({ ...r, seriesInstanceUid: uid(r.seriesInstanceUid), sopInstanceUid: uid(r.sopInstanceUid) })),
    measurements: content.measurements.map((m) => ({ ...m, seriesInstanceUid: uid(m.seriesInstanceUid), sopInstanceUid: uid(m.sopInstanceUid) })),
    answers: content.answers.map((a) => ({ ...a, ...(a.seriesInstanceUid ? { seriesInstanceUid: uid(a.seriesInstanceUid) } : {}) })),
  };
}

/**
 * The series a study-level label (answers about the study, no region) is about: those of the
 * dataset's modalities that the project labels (its series rule, and series chosen or left out by
 * hand), or all of those modalities' series when it labels none of them.
 */
async function studyLevelSeries<S extends { seriesInstanceUid: string; modality: string; description: string }>(series: S[], modalities: readonly string[], projectId: string, studyId: string): Promise<S[]> {
  const ofModalities = series.filter((s) => !modalities.length || modalities.includes(s.modality));
  const selection = await findSeriesSelection(projectId, studyId);
  const labeled = ofModalities.filter((s) => selectsSeries(selection, s));
  return labeled.length ? labeled : ofModalities;
}
