import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ChangePasswordForm } from '@/components/auth/ChangePasswordForm';
import { Alert } from '@/components/ui/Alert';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Change password' };

export default async function ChangePasswordPage() {
  const user = await requirePageUser({ allowPendingPasswordChange: true });
  return (
    <>
      <PageHeader title="Change password" />
      {user.mustChangePassword && (
        <div className="mb-6 max-w-md">
          <Alert tone="warning" title="Choose your own password">
            You signed in with a temporary password from an administrator. Replace it to continue.
          </Alert>
        </div>
      )}
      <ChangePasswordForm required={user.mustChangePassword} />
    </>
  );
}
