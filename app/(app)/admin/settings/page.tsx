import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { SettingsForm } from '@/components/admin/SettingsForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { getSettings } from '@/lib/settings/get-settings';
import { SETTING_KEYS, SETTINGS } from '@/lib/settings/registry';
import { updateSettingsAction } from '../actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requirePageUser({ area: 'admin' });
  const settings = await getSettings();
  const fields = SETTING_KEYS.map((key) => ({ key, label: SETTINGS[key].label, help: SETTINGS[key].help, value: String(settings[key]) }));
  return (
    <>
      <PageHeader title="Settings" description="Installation-wide settings. Secrets and the database are configured by environment variables." />
      <SettingsForm fields={fields} action={updateSettingsAction} />
    </>
  );
}
