import { getDb } from '@/lib/db/client';
import { log } from '@/lib/log/logger';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './registry';

/** All settings, defaults filled in. A stored value that no longer validates falls back to its default. */
export async function getSettings(): Promise<Settings> {
  const rows = await getDb().setting.findMany({ where: { key: { in: SETTING_KEYS } } });
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const settings = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    settings[key] = parseStored(key, stored.get(key));
  }
  return settings as Settings;
}

function parseStored(key: SettingKey, raw: string | undefined): unknown {
  if (raw === undefined) return SETTINGS[key].default;
  try {
    const parsed = SETTINGS[key].schema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  log.warn('ignoring invalid stored setting', { key });
  return SETTINGS[key].default;
}
