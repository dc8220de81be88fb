import { z } from 'zod';
import { CONSENT_PURPOSES } from '@/lib/consent/purposes';

export const LABEL_STATUSES = ['accepted', 'any'] as const;
export type DatasetLabelStatus = (typeof LABEL_STATUSES)[number];

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const ZModality = z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{1,16}$/, 'a DICOM modality code such as CT or MR');

/** Which of the projects' studies qualify, besides label and consent. Classes are display names (see dataset-classes.ts). */
export const ZDatasetFilters = z
  .object({
    modalities: z.array(ZModality).max(16).default([]),
    classes: z.array(z.string().trim().min(1).max(200)).max(256).default([]),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'The date range ends before it starts.', path: ['to'] });
export type DatasetFilters = z.infer<typeof ZDatasetFilters>;

/** Percentages of patients' studies per split; the seed makes the assignment reproducible. */
export const ZDatasetSplit = z
  .object({
    train: z.coerce.number().int().min(0).max(100),
    val: z.coerce.number().int().min(0).max(100),
    test: z.coerce.number().int().min(0).max(100),
    seed: z.string().trim().min(1).max(64).default('cohort'),
    /** Keep each class's share the same in every split (by the rarest class of each patient). */
    stratify: z.boolean().default(true),
  })
  .strict()
  .refine((s) => s.train + s.val + s.test === 100, { message: 'Train, validation and test add up to 100%.', path: ['test'] });
export type DatasetSplit = z.infer<typeof ZDatasetSplit>;

export const ZCreateDatasetInput = z
  .object({
    name: z.string().trim().min(1, 'Give the dataset a name.').max(120),
    description: z.string().trim().max(4000).default(''),
    projectIds: z.array(z.string().min(1).max(64)).min(1, 'Pick at least one project.').max(50),
    purpose: z.enum(CONSENT_PURPOSES),
    labelStatus: z.enum(LABEL_STATUSES).default('accepted'),
    filters: ZDatasetFilters.default({ modalities: [], classes: [] }),
    split: ZDatasetSplit.default({ train: 70, val: 15, test: 15, seed: 'cohort', stratify: true }),
    license: z.string().trim().min(1, 'Say under which licence the dataset is shared.').max(200),
  })
  .strict();
export type CreateDatasetInput = z.infer<typeof ZCreateDatasetInput>;

/** PATCH: everything but the name may change until a version is published; after that, too (versions are frozen, not the definition). */
export const ZUpdateDatasetInput = ZCreateDatasetInput.omit({ name: true }).partial().strict();
export type UpdateDatasetInput = z.infer<typeof ZUpdateDatasetInput>;

/** Just what decides the content: for previewing a definition before it is saved. */
export const ZDatasetDefinitionInput = ZCreateDatasetInput.pick({ projectIds: true, purpose: true, labelStatus: true, filters: true, split: true }).strict();
