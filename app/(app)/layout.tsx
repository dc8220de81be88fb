import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { getRequestUser, signInPath } from '@/app/_lib/page-guard';
import { AppShell } from '@/components/shell/AppShell';
import { ServiceUnavailable } from '@/components/shell/ServiceUnavailable';
import { areasFor } from '@/lib/auth/areas';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { countUnreadNotifications } from '@/lib/notifications/find-notifications';
import { getSettings } from '@/lib/settings/get-settings';

export default async function AppLayout({ children }: { children: ReactNode }) {
  let shell;
  try {
    const user = await getRequestUser();
    if (!user) redirect(signInPath(await headers()));
    const [settings, unread] = await Promise.all([getSettings(), countUnreadNotifications(user.id)]);
    shell = { user, settings, unread };
  } catch (err) {
    if (isDatabaseUnavailable(err)) return <ServiceUnavailable />;
    throw err;
  }
  const { user, settings, unread } = shell;
  // A user on a temporary password sees no navigation until they have replaced it.
  const areas = user.mustChangePassword ? [] : areasFor(user.roles);
  return (
    <AppShell
      instanceName={settings['instance.name']}
      user={{ name: user.name, email: user.email, roleLabels: user.roles.map((r) => ROLE_LABELS[r]) }}
      areas={areas.map(({ key, href, label }) => ({ key, href, label }))}
      unread={unread}
    >
      {children}
    </AppShell>
  );
}
