import { z } from 'zod';

export const LONGITUDINAL_TEMPORAL_OPTIONS = ['off', 'modified-dates'] as const;

/**
 * A private data element to keep: its block's Private Creator, its (odd) group and its element's
 * offset inside the block (the low byte: (0029,xx10) is offset 0x10 whichever block xx the creator
 * reserved in this file).
 */
export const ZPrivateTagRef = z.object({
  creator: z.string().trim().min(1).max(64),
  group: z
    .number()
    .int()
    .min(0x0009)
    .max(0xfffd)
    .refine((g) => g % 2 === 1, 'a private group is odd'),
  element: z.number().int().min(0).max(0xff),
});
export type PrivateTagRef = z.infer<typeof ZPrivateTagRef>;

/** How one instance is de-identified (lib/dicom/deidentify/deidentify-instance.ts, docs/deidentification.md). */
export const ZDeidentifyOptions = z
  .object({
    /** Secret of the project or dataset: the same key maps a UID to the same new UID. */
    uidKey: z.instanceof(Uint8Array).refine((key) => key.length >= 16, 'uidKey must hold at least 16 bytes'),
    /** Patient ID and Patient's Name of the output (the dataset chooses it, one per patient). */
    patientPseudonym: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^\\\u0000-\u001f]+$/, 'patientPseudonym must not contain backslashes or control characters'),
    retainLongitudinalTemporalInformation: z.enum(LONGITUDINAL_TEMPORAL_OPTIONS).default('off'),
    /** Whole days added to every date of this patient (modified-dates only); the caller derives it per patient. */
    dateShiftDays: z.number().int().min(-36_500).max(36_500).optional(),
    cleanDescriptors: z.boolean().default(false),
    privateTagWhitelist: z.array(ZPrivateTagRef).default([]),
  })
  .refine((o) => o.retainLongitudinalTemporalInformation !== 'modified-dates' || o.dateShiftDays !== undefined, {
    message: "dateShiftDays is required when retainLongitudinalTemporalInformation is 'modified-dates'",
    path: ['dateShiftDays'],
  });
/** What callers pass (defaults not yet applied). */
export type DeidentifyOptions = z.input<typeof ZDeidentifyOptions>;
export type ResolvedDeidentifyOptions = z.infer<typeof ZDeidentifyOptions>;
