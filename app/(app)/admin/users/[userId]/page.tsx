import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/app/_lib/page-guard';
import { UserEditor } from '@/components/admin/UserEditor';
import { PageHeader } from '@/components/ui/PageHeader';
import { roleOptions } from '@/lib/auth/role-options';
import { isAppError } from '@/lib/errors/app-error';
import { getUser } from '@/lib/users/get-user';
import { resetPasswordAction, setUserActiveAction, updateUserAction } from '../../actions';

export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: { params: Promise<{ userId: string }> }) {
  const admin = await requirePageUser({ area: 'admin' });
  const { userId } = await params;
  const user = await getUser(userId).catch((err: unknown) => {
    if (isAppError(err, 'NOT_FOUND')) notFound();
    throw err;
  });
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
