import { z } from 'zod';
import { ZCreateUserInput } from '@/lib/users/schemas';

/** How long a new claim code stays valid, in days (30 by default: a letter must reach the patient). */
export const ZIssueClaimCodeInput = z.object({ validDays: z.coerce.number().int().min(1).max(365).default(30) }).strict();
export type IssueClaimCodeInput = z.infer<typeof ZIssueClaimCodeInput>;

export const ZClaimCode = z.string().trim().min(1, 'Type the code from your letter.').max(64);

/** A code linked to the signed-in patient's account. */
export const ZClaimInput = z.object({ code: ZClaimCode }).strict();

/** A new patient account, opened with a code. */
export const ZClaimNewAccountInput = ZCreateUserInput.pick({ name: true, email: true })
  .extend({ code: ZClaimCode, password: z.string().min(12, 'Choose a password of at least 12 characters.').max(128) })
  .strict();
export type ClaimNewAccountInput = z.infer<typeof ZClaimNewAccountInput>;
