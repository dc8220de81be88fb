import { z } from 'zod';
import { LEDGER_ENTRY_TYPES } from './entry-types';

const seqNumber = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ZEntriesQuery = z.object({
  /** Entries with seq < before (newest first); omit for the newest. */
  before: seqNumber.optional(),
  type: z.enum(LEDGER_ENTRY_TYPES).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EntriesQuery = z.infer<typeof ZEntriesQuery>;

export const ZInclusionQuery = z.object({ seq: seqNumber, size: seqNumber });
export const ZConsistencyQuery = z.object({ from: seqNumber, to: seqNumber });
