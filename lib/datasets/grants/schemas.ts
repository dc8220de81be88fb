import { z } from 'zod';

export const ZCreateVersionGrant = z.object({
  recipientKeyId: z.string().trim().min(1, 'Choose the key to share this version with.').max(100),
});
export type CreateVersionGrantInput = z.infer<typeof ZCreateVersionGrant>;
