import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { CreateUserForm } from '@/components/admin/CreateUserForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { roleOptions } from '@/lib/auth/role-options';
import { createUserAction } from '../../actions';

export const metadata: Metadata = { title: 'New user' };

export default async function NewUserPage() {
  await requirePageUser({ area: 'admin' });
  return (
    <>
      <PageHeader
        title="New user"
        description="Cohort has no mail server: you hand the temporary password to the person, who replaces it at first sign-in."
      />
      <CreateUserForm roleOptions={roleOptions()} action={createUserAction} />
    </>
  );
}
