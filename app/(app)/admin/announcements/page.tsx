import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { BroadcastForm } from '@/components/admin/BroadcastForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { roleOptions } from '@/lib/auth/role-options';
import { broadcastAction } from '../actions';

export const metadata: Metadata = { title: 'Announcements' };

export default async function AnnouncementsPage() {
  await requirePageUser({ area: 'admin' });
  return (
    <>
      <PageHeader title="Announcements" description="A message in the inbox of every active user, or of the holders of some roles." />
      <BroadcastForm roleOptions={roleOptions()} action={broadcastAction} />
    </>
  );
}
