import { getDb } from '@/lib/db/client';
import { getSettings } from './get-settings';
import type { Settings, SettingsPatch } from './registry';

/** Stores the given settings (already validated by ZSettingsPatch) in one transaction. */
export async function updateSettings({ patch, actorId }: { patch: SettingsPatch; actorId: string }): Promise<Settings> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  await getDb().$transaction(async (tx) => {
    for (const [key, value] of entries) {
      const data = { value: JSON.stringify(value), updatedById: actorId };
      await tx.setting.upsert({ where: { key }, create: { key, ...data }, update: data });
    }
  });
  return getSettings();
}
