import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { MarkAllReadButton } from '@/components/notifications/MarkAllReadButton';
import { NotificationList } from '@/components/notifications/NotificationList';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { findNotifications } from '@/lib/notifications/find-notifications';
import { markReadAction } from './actions';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const user = await requirePageUser();
  const { items, unread } = await findNotifications(user.id);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={unread ? `${unread} unread` : 'Messages about your account and your work in Cohort.'}
        actions={unread ? <MarkAllReadButton action={markReadAction} /> : undefined}
      />
      {items.length === 0 ? (
        <EmptyState icon={icons.bell(40)} title="Nothing new">
          <p>Changes to your account, announcements from administrators and, later, review requests and job results appear here.</p>
        </EmptyState>
      ) : (
        <NotificationList items={items} />
      )}
    </>
  );
}
