'use server';

import { revalidatePath } from 'next/cache';
import { safeAction } from '@/app/_lib/safe-action';
import { markNotificationsRead } from '@/lib/notifications/mark-notifications-read';
import { ZMarkReadInput } from '@/lib/notifications/schemas';

export const markReadAction = safeAction(ZMarkReadInput, async ({ ids }, user) => {
  const result = await markNotificationsRead(user.id, ids);
  revalidatePath('/', 'layout');
  return result;
});
