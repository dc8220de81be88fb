import { z } from 'zod';

export const STUDY_SORTS = ['date', 'patient', 'received'] as const;

/** The study list's filters, as they come from a page's query string. */
export const ZStudyQuery = z.object({
  /** Matches patient name or ID, accession number or study description (case-insensitive, anywhere). */
  q: z.string().trim().max(128).optional(),
  modality: z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{1,16}$/).optional(),
  /** Study dates, inclusive, as YYYY-MM-DD (a date input's value). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  sort: z.enum(STUDY_SORTS).default('date'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type StudyQuery = z.infer<typeof ZStudyQuery>;
