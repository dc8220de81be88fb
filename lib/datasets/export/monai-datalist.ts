import path from 'node:path';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { Split } from '../schemas';
import { trainingLabels, type ExportFile } from './nnunet-layout';

export const MONAI_DATALIST = 'monai/dataset.json';

/** A case's NIfTI files, as paths from the dataset's root (the nnU-Net folder's: the files are shared). */
export type MonaiCase = { split: Split; modality: string; image: string; label: string | null };

/**
 * A MONAI datalist in the Medical Segmentation Decathlon's dataset.json form, read with
 * `monai.data.load_decathlon_datalist(path, is_segmentation=True, data_list_key='training')` (or
 * 'validation', 'test'). Paths are relative to the datalist's folder (MONAI joins them to it), and
 * point at the NIfTI files the nnU-Net layout holds, so images are not published twice. `training`
 * and `validation` list {image, label} of the train and val splits; `test` lists {image} or, for test
 * cases with a labelmap, {image, label}. `labels` maps each file value to its class (values consecutive
 * as in nnunet-layout.ts); `label_values` adds the schema values.
 */
export function monaiDatalist({ name, segments, cases, description, at = MONAI_DATALIST }: { name: string; segments: LabelSchema['segments']; cases: readonly MonaiCase[]; description?: string; at?: string }): ExportFile {
  const base = path.posix.dirname(at);
  const rel = (p: string) => path.posix.relative(base, p);
  const entry = (c: MonaiCase) => ({ image: rel(c.image), ...(c.label !== null ? { label: rel(c.label) } : {}) });
  const labeled = (split: Split) => cases.filter((c) => c.split === split && c.label !== null).map(entry);
  const labels = trainingLabels(segments);
  const modalities = [...new Set(cases.map((c) => c.modality || 'OT'))].sort();
  const training = labeled('train');
  const test = cases.filter((c) => c.split === 'test').map(entry);
  const json = {
    name,
    description: description ?? 'Exported by Cohort: de-identified images with their segmentation labels.',
    tensorImageSize: '3D',
    modality: { '0': modalities.join('+') },
    labels: Object.fromEntries([['0', 'background'], ...labels.map((l) => [String(l.value), l.name])]),
    label_values: labels.map((l) => ({ name: l.name, value: l.value, schema_value: l.schemaValue, ...(l.code ? { code: l.code } : {}) })),
    numTraining: training.length,
    numValidation: labeled('val').length,
    numTest: test.length,
    training,
    validation: labeled('val'),
    test,
  };
  return { path: at, content: JSON.stringify(json, null, 2) + '\n' };
}
