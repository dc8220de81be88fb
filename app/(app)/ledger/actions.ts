'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { safeAction } from '@/app/_lib/safe-action';
import { createCheckpoint } from '@/lib/ledger/create-checkpoint';

const ADMIN = { roles: ['admin' as const] };

export const signCheckpointAction = safeAction(
  z.object({}),
  async () => {
    const checkpoint = await createCheckpoint();
    revalidatePath('/ledger');
    return checkpoint;
  },
  ADMIN,
);
