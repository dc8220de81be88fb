import { z } from 'zod';
import { CONSENT_DECISIONS, CONSENT_PURPOSES } from './purposes';

/** A patient's decision on one purpose, for one study of theirs or (studyId null) all of them. */
export const ZDecideConsentInput = z
  .object({
    studyId: z.string().min(1).max(64).nullable(),
    purpose: z.enum(CONSENT_PURPOSES, 'Not a purpose Cohort knows: research, ai_training, commercial, education or public_release.'),
    decision: z.enum(CONSENT_DECISIONS),
    /** A grant's end; omitted: until revoked. */
    validUntil: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((d) => d.decision === 'granted' || d.validUntil === undefined, { message: 'Only a grant has an end date.', path: ['validUntil'] })
  .refine((d) => !d.validUntil || new Date(d.validUntil).getTime() > Date.now(), { message: 'The end date is already past.', path: ['validUntil'] });
export type DecideConsentInput = z.infer<typeof ZDecideConsentInput>;
