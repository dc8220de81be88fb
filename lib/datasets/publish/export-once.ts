import fs from 'node:fs/promises';
import path from 'node:path';
import { datasetKeys } from '../dataset-keys';
import { exportStudy, type StudyExport, type TrainingLayout } from '../export/export-study';
import { writeStaged } from '../export/staging-files';
import type { IncludedStudy } from '../select-dataset-studies';
import { publicationWriter, stagingDirs } from './publication-files';

/** One study of a version to export. */
export type StudyExportJob = {
  study: IncludedStudy;
  datasetId: string;
  /** The version's file key (private versions), or null. */
  key: Uint8Array | null;
  /** The version's staging directory (publication-files.ts). */
  root: string;
  modalities: readonly string[];
  training: TrainingLayout;
  /** How many of the study's published bytes to hand back in memory for the add; the rest is read from the disk. */
  heldBytes: number;
};

export type ExportedStudy = { result: StudyExport; held: Map<string, Uint8Array> };

/**
 * Exports one study into the staging directory, or reuses what an interrupted run exported for the
 * same label version and split (its marker file), and hands back the first `heldBytes` of what it
 * wrote, so the add need not read those files back.
 */
export async function exportStudyOnce({ study, datasetId, key, root, modalities, training, heldBytes }: StudyExportJob): Promise<ExportedStudy> {
  const dirs = stagingDirs(root);
  const marker = path.join(dirs.studies, `${study.studyId}.json`);
  try {
    const saved = JSON.parse(await fs.readFile(marker, 'utf8')) as { annotationVersionId: string; split: string; result: StudyExport };
    if (saved.annotationVersionId === study.annotationVersionId && saved.split === study.split) return { result: saved.result, held: new Map() };
  } catch {
    // not exported yet
  }
  const held = new Map<string, Uint8Array>();
  let heldSoFar = 0;
  const writer = publicationWriter(root, key, async (filePath, bytes) => {
    if (heldSoFar + bytes.byteLength > heldBytes) return;
    held.set(filePath, bytes);
    heldSoFar += bytes.byteLength;
  });
  const result = await exportStudy({ study, keys: datasetKeys(datasetId), writer, modalities, training });
  await writeStaged(dirs.studies, { path: `${study.studyId}.json`, kind: 'marker' }, JSON.stringify({ annotationVersionId: study.annotationVersionId, split: study.split, result }));
  return { result, held };
}
