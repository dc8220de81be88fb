import { z } from 'zod';
import { ACCESS_HOWS, ACCESS_OUTCOMES } from './access-event';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** An empty form field means "any". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The admin log's filters, as query parameters: all optional, combined with AND. */
export const ZAccessLogQuery = z.object({
  /** A Study Instance UID, or Cohort's study id. */
  study: optional(z.string().trim().max(128)),
  /** Part of a user's name or email. */
  user: optional(z.string().trim().max(200)),
  how: optional(z.enum(ACCESS_HOWS)),
  outcome: optional(z.enum(ACCESS_OUTCOMES)),
  /** Inclusive days, UTC. */
  from: optional(day),
  to: optional(day),
  /** Paging: the id of the last row of the previous page. */
  after: optional(z.string().max(64)),
});
export type AccessLogQuery = z.infer<typeof ZAccessLogQuery>;
