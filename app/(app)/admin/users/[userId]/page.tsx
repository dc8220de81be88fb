import type { Metadata } from 'next';
import { orNotFound } from '@/app/_lib/or-not-found';
import { requirePageUser } from '@/app/_lib/page-guard';
import { UserEditor } from '@/components/admin/UserEditor';
import { PageHeader } from '@/components/ui/PageHeader';
import { roleOptions } from '@/lib/auth/role-options';
import { getUser } from '@/lib/users/get-user';
import { resetPasswordAction, setUserActiveAction, updateUserAction } from '../../actions';

export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: { params: Promise<{ userId: string }> }) {
  const admin = await requirePageUser({ area: 'admin' });
  const { userId } = await params;
  const user = await orNotFound(getUser(userId));
  return (
    <>
      <PageHeader title={user.name} description={`Account created ${user.createdAt.slice(0, 10)}.`} />
      <UserEditor
        user={user}
        isSelf={user.id === admin.id}
        roleOptions={roleOptions()}
        actions={{ update: updateUserAction, setActive: setUserActiveAction, resetPassword: resetPasswordAction }}
      />
    </>
  );
}
