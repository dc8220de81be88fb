import { z } from 'zod';
import { ZRole } from '@/lib/auth/roles';
import { PRINTABLE_NAME } from '@/lib/format/printable-name';

const ZName = z.string().trim().min(1, 'Enter a name').max(200);
const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address'));
const ZRoles = z
  .array(ZRole)
  .min(1, 'Choose at least one role')
  .transform((roles) => [...new Set(roles)]);

export const ZCreateUserInput = z.object({
  name: ZName,
  email: ZEmail,
  roles: ZRoles,
  /** Omit to have Cohort generate a temporary password, shown once. */
  password: z.string().min(12, 'At least 12 characters').max(128).optional(),
});
export type CreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZUpdateUserInput = z.object({ name: ZName.optional(), roles: ZRoles.optional() });
export type UpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export const USER_STATUSES = ['active', 'deactivated'] as const;
export const ZFindUsersQuery = z.object({
  q: z.string().trim().max(200).optional(),
  role: ZRole.optional(),
  status: z.enum(USER_STATUSES).optional(),
});
export type FindUsersQuery = z.infer<typeof ZFindUsersQuery>;

/** A contributor's credit: the name to print in the datasets they label for, or null (pseudonym only). */
export const ZSetCreditName = z.object({
  creditName: z
    .string()
    .trim()
    .min(1, 'Enter the name to be credited under, or turn credit off.')
    .max(120, 'At most 120 characters.')
    // It is printed in the tables and READMEs of published datasets, and by `cohort pull`.
    .regex(PRINTABLE_NAME, 'No control characters, |, `, < or >.')
    .nullable(),
});
export type SetCreditNameInput = z.infer<typeof ZSetCreditName>;
