/**
 * What `cohort pull --format` writes: the parts of a version a training pipeline reads (every format
 * also gets README.md, splits.csv, manifest.json and manifest.sig). Only those files are fetched and
 * checked; the manifest's signature and every consent proof are always checked.
 */
export const PULL_FORMATS = {
  all: [''],
  dicom: ['dicom/', 'labels/'],
  nnunet: ['nnunet/'],
  nifti: ['nnunet/'],
  monai: ['monai/', 'nnunet/'],
  coco: ['coco/', 'labels/'],
} as const;
export type PullFormat = keyof typeof PULL_FORMATS;

const ALWAYS = new Set(['README.md', 'splits.csv']);

export function isPullFormat(value: string): value is PullFormat {
  return Object.hasOwn(PULL_FORMATS, value);
}

/** Whether a file of the version belongs to `format`. */
export function inFormat(format: PullFormat, path: string): boolean {
  return ALWAYS.has(path) || PULL_FORMATS[format].some((prefix) => path.startsWith(prefix));
}
