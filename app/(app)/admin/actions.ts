'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { safeAction } from '@/app/_lib/safe-action';
import { broadcastNotification } from '@/lib/notifications/broadcast-notification';
import { ZBroadcastInput } from '@/lib/notifications/schemas';
import { ZSettingsPatch } from '@/lib/settings/registry';
import { updateSettings } from '@/lib/settings/update-settings';
import { createUser } from '@/lib/users/create-user';
import { resetUserPassword } from '@/lib/users/reset-user-password';
import { ZCreateUserInput, ZUpdateUserInput } from '@/lib/users/schemas';
import { setUserActive } from '@/lib/users/set-user-active';
import { updateUser } from '@/lib/users/update-user';

const ADMIN = { roles: ['admin' as const] };
const ZUserId = z.object({ userId: z.string().min(1) });

export const createUserAction = safeAction(
  ZCreateUserInput,
  async (input, user) => {
    const created = await createUser({ input, actorId: user.id });
    revalidatePath('/admin', 'layout');
    return created;
  },
  ADMIN,
);

export const updateUserAction = safeAction(
  ZUpdateUserInput.extend(ZUserId.shape),
  async ({ userId, ...input }, user) => {
    const updated = await updateUser({ userId, input, actorId: user.id });
    revalidatePath('/admin', 'layout');
    return updated;
  },
  ADMIN,
);

export const setUserActiveAction = safeAction(
  ZUserId.extend({ active: z.boolean() }),
  async ({ userId, active }, user) => {
    const updated = await setUserActive({ userId, active, actorId: user.id });
    revalidatePath('/admin', 'layout');
    return updated;
  },
  ADMIN,
);

export const resetPasswordAction = safeAction(ZUserId, async ({ userId }) => resetUserPassword({ userId }), ADMIN);

export const updateSettingsAction = safeAction(
  ZSettingsPatch,
  async (patch, user) => {
    const settings = await updateSettings({ patch, actorId: user.id });
    revalidatePath('/', 'layout');
    return settings;
  },
  ADMIN,
);

export const broadcastAction = safeAction(ZBroadcastInput, async (input) => broadcastNotification(input), ADMIN);
