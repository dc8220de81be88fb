import path from 'node:path';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { Split } from '../schemas';

/**
 * The nnU-Net v2 raw dataset a version's NIfTI files form (docs/dataset-formats.md):
 *
 *   nnunet/Dataset500_<Name>/
 *     dataset.json          channel_names, labels (consecutive), numTraining, file_ending
 *     splits_final.json     fold 0 = the dataset's train / val split (copy to nnUNet_preprocessed)
 *     imagesTr/<case>_0000.nii.gz   labelsTr/<case>.nii.gz     train and val cases with a labelmap
 *     imagesTs/<case>_0000.nii.gz   labelsTs/<case>.nii.gz     test cases (labels when they have one)
 *
 * A case is one series: `<study pseudonym>_sNN`, NN as in dicom/<study>/sNN. Pure: paths and JSON.
 */

export type NnunetDataset = {
  /** nnU-Net dataset id, 1–999 (custom datasets by convention from 500). */
  id: number;
  /** The dataset's name; letters and digits are kept, anything else becomes "_". */
  name: string;
};

export const NNUNET_ROOT = 'nnunet';
export const NNUNET_DEFAULT_ID = 500;
const FILE_ENDING = '.nii.gz';

/** The dataset folder: nnunet/Dataset500_Liver_lesions. */
export function nnunetFolder({ id, name }: NnunetDataset): string {
  if (!Number.isInteger(id) || id < 1 || id > 999) throw new RangeError(`An nnU-Net dataset id is 1 to 999, not ${id}.`);
  const clean = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'Cohort';
  return `${NNUNET_ROOT}/Dataset${String(id).padStart(3, '0')}_${clean}`;
}

/** The case identifier of a study's series: the study pseudonym and the series folder number. */
export function nnunetCaseId(studyPseudonym: string, seriesIndex: number): string {
  return `${studyPseudonym}_s${String(seriesIndex + 1).padStart(2, '0')}`;
}

/**
 * Where a case's NIfTI files go, or null when it has none in nnU-Net: train and val cases need a
 * label (nnU-Net trains only on labeled cases); test cases go to imagesTs, their labels (for scoring
 * predictions) to labelsTs, a folder nnU-Net itself ignores.
 */
export function nnunetCasePaths({ dataset, caseId, split, labeled }: { dataset: NnunetDataset; caseId: string; split: Split; labeled: boolean }): { image: string; label: string | null } | null {
  const root = nnunetFolder(dataset);
  if (split === 'test') return { image: `${root}/imagesTs/${caseId}_0000${FILE_ENDING}`, label: labeled ? `${root}/labelsTs/${caseId}${FILE_ENDING}` : null };
  if (!labeled) return null;
  return { image: `${root}/imagesTr/${caseId}_0000${FILE_ENDING}`, label: `${root}/labelsTr/${caseId}${FILE_ENDING}` };
}

/** A segmentation class as the training files carry it. */
export type TrainingLabel = { name: string; value: number; schemaValue: number; code?: { scheme: string; value: string; meaning: string } };

/**
 * The schema's segments with the values written in label files: 1, 2, 3… in ascending schema value
 * (nnU-Net wants consecutive integers from 0 = background), so values already 1..n stay as they are.
 */
export function trainingLabels(segments: LabelSchema['segments']): TrainingLabel[] {
  return [...segments]
    .sort((a, b) => a.value - b.value)
    .map((s, i) => ({ name: s.name, value: i + 1, schemaValue: s.value, ...(s.code ? { code: s.code } : {}) }));
}

/** Schema value → label file value (for niftiSeriesExport's labelValues). */
export function nnunetLabelValues(segments: LabelSchema['segments']): Map<number, number> {
  return new Map(trainingLabels(segments).map((l) => [l.schemaValue, l.value]));
}

/** A case written under the nnU-Net folder, with the paths nnunetCasePaths gave it. */
export type NnunetCase = { id: string; split: Split; modality: string; image: string; label: string | null };

export type ExportFile = { path: string; content: string };

/**
 * dataset.json and splits_final.json for the cases written. The one input channel is named after the
 * modality ("CT" selects nnU-Net's CT normalisation; anything else is z-scored per image); a dataset
 * mixing modalities names it after all of them ("CT+MR"), so each image is z-scored. splits_final.json
 * is written when there are both train and val cases: fold 0 is exactly the dataset's split (a
 * patient's studies are all on one side). Throws on a case not laid out by nnunetCasePaths.
 */
export function nnunetLayout({ dataset, segments, cases, description }: { dataset: NnunetDataset; segments: LabelSchema['segments']; cases: readonly NnunetCase[]; description?: string }): ExportFile[] {
  const root = nnunetFolder(dataset);
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`nnU-Net case ${c.id} is listed twice.`);
    seen.add(c.id);
    const expected = nnunetCasePaths({ dataset, caseId: c.id, split: c.split, labeled: c.label !== null });
    if (!expected || expected.image !== c.image || expected.label !== c.label) throw new Error(`nnU-Net case ${c.id} (${c.split}) is not where nnunetCasePaths puts it.`);
  }
  if (!segments.length) return [];
  const labels = trainingLabels(segments);
  const modalities = [...new Set(cases.map((c) => c.modality || 'OT'))].sort();
  const training = cases.filter((c) => c.split !== 'test');
  const tests = cases.filter((c) => c.split === 'test');
  const json = {
    channel_names: { '0': modalities.join('+') || 'CT' },
    labels: Object.fromEntries([['background', 0], ...labels.map((l) => [l.name === 'background' ? `background (${l.schemaValue})` : l.name, l.value])]),
    numTraining: training.length,
    file_ending: FILE_ENDING,
    name: path.basename(root),
    description: description ?? 'Exported by Cohort: de-identified images with their segmentation labels.',
    numTest: tests.length,
    numTestLabeled: tests.filter((c) => c.label !== null).length,
    // Not read by nnU-Net: how the files' label values relate to the label schema.
    label_values: labels.map((l) => ({ name: l.name, value: l.value, schema_value: l.schemaValue, ...(l.code ? { code: l.code } : {}) })),
    splits: {
      train: training.filter((c) => c.split === 'train').length,
      val: training.filter((c) => c.split === 'val').length,
      file: 'splits_final.json (fold 0; copy it to $nnUNet_preprocessed/' + path.basename(root) + '/ after nnUNetv2_plan_and_preprocess)',
    },
  };
  const files: ExportFile[] = [{ path: `${root}/dataset.json`, content: JSON.stringify(json, null, 2) + '\n' }];
  const train = training.filter((c) => c.split === 'train').map((c) => c.id);
  const val = training.filter((c) => c.split === 'val').map((c) => c.id);
  if (train.length && val.length) files.push({ path: `${root}/splits_final.json`, content: JSON.stringify([{ train, val }], null, 2) + '\n' });
  return files;
}
