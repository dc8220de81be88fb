import { z } from 'zod';
import { TOKEN_LIFETIMES_DAYS } from './lifetimes.client';

export const ZCreateAccessToken = z.object({
  name: z.string().trim().min(1, 'Name the token after the program that will use it.').max(80),
  expiresInDays: z.literal(TOKEN_LIFETIMES_DAYS, { error: `Choose a lifetime of ${TOKEN_LIFETIMES_DAYS.join(', ')} days.` }),
});
export type CreateAccessTokenInput = z.infer<typeof ZCreateAccessToken>;
