import { z } from 'zod';

/**
 * Every installation setting: its schema, default and the words an admin sees. Values are stored as
 * JSON in the `setting` table and validated on the way in and out.
 */
export const SETTINGS = {
  'instance.name': {
    schema: z.string().trim().min(1).max(80),
    default: 'Cohort',
    label: 'Installation name',
    help: 'Shown in the header and on the sign-in page, e.g. "St. Elsewhere Radiology Research".',
  },
  'instance.supportContact': {
    schema: z.string().trim().max(200),
    default: '',
    label: 'Support contact',
    help: 'Who people ask for an account or a password reset (email or phone). Shown on the sign-in page.',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const ZSettingsPatch = z
  .object(
    Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTINGS[k].schema.optional()])) as {
      [K in SettingKey]: z.ZodOptional<(typeof SETTINGS)[K]['schema']>;
    },
  )
  .strict();
export type SettingsPatch = z.infer<typeof ZSettingsPatch>;
