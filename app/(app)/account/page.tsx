import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { ThemeToggle } from '@/components/theme/ThemeToggle';
import { ACCESS_TOKEN_ROLES } from '@/lib/access-tokens/access-token-roles';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { hasRole } from '@/lib/auth/session-user';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Account" description="Your sign-in and roles. Roles are given by an administrator." />
      <Card className="max-w-xl">
        <dl className="grid grid-cols-[8rem_1fr] gap-y-3 text-sm">
          <dt className="text-slate-500 dark:text-slate-400">Name</dt>
          <dd>{user.name}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Email</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Roles</dt>
          <dd className="flex flex-wrap gap-1">
            {user.roles.map((r) => (
              <Badge key={r} tone="brand">
                {ROLE_LABELS[r]}
              </Badge>
            ))}
          </dd>
        </dl>
        <div className="mt-6 flex flex-wrap gap-2">
          <ButtonLink href="/account/password" variant="secondary">
            Change password
          </ButtonLink>
          {hasRole(user, ...ACCESS_TOKEN_ROLES) && (
            <ButtonLink href="/account/tokens" variant="secondary">
              Access tokens
            </ButtonLink>
          )}
        </div>
      </Card>
      {/* Also here because small screens hide the sidebar's theme switch. */}
      <Card className="mt-4 max-w-xl">
        <h2 className="mb-3 font-semibold">Appearance</h2>
        <div className="max-w-xs">
          <ThemeToggle />
        </div>
      </Card>
    </>
  );
}
