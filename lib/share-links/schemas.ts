import { z } from 'zod';

/** How long a link may live: a second opinion takes days, not months. */
export const SHARE_LINK_DAYS = [1, 7, 30] as const;

export const ZCreateShareLinkInput = z.object({
  studyId: z.string().min(1).max(64),
  expiresInDays: z.literal(SHARE_LINK_DAYS, { error: `Choose how long the link works: ${SHARE_LINK_DAYS.join(', ')} days.` }),
  /** Who it is for, for the patient's own list ("Dr. Silva, second opinion"). */
  label: z.string().trim().max(80, 'Keep the note under 80 characters.').default(''),
});
export type CreateShareLinkInput = z.input<typeof ZCreateShareLinkInput>;
