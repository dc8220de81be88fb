import { z } from 'zod';

export const ZRegisterRecipientKey = z.object({
  label: z.string().trim().min(1, 'Name the key after where its identity lives (a laptop, a training server).').max(80),
  // The format itself is checked by registerRecipientKey, which says what is wrong with it.
  recipient: z.string().trim().min(1, 'Paste the public key: the age1… line age-keygen printed.').max(200),
});
export type RegisterRecipientKeyInput = z.infer<typeof ZRegisterRecipientKey>;
