import { z } from 'zod';

export const ZBurnedInClearanceInput = z.object({ cleared: z.boolean(), note: z.string().trim().max(500).default('') }).strict();
export type BurnedInClearanceInput = z.infer<typeof ZBurnedInClearanceInput>;
