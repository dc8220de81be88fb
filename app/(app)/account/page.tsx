import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { ThemeToggle } from '@/components/theme/ThemeToggle';
import { CreditName } from '@/components/account/CreditName';
import { RecipientKeys } from '@/components/account/RecipientKeys';
import { SharedDatasets } from '@/components/account/SharedDatasets';
import { ACCESS_TOKEN_ROLES } from '@/lib/access-tokens/access-token-roles';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { hasRole } from '@/lib/auth/session-user';
import { env } from '@/lib/config/env';
import { findUserGrants } from '@/lib/datasets/grants/find-user-grants';
import { findRecipientKeys } from '@/lib/recipient-keys/find-recipient-keys';
import { RECIPIENT_KEY_ROLES } from '@/lib/recipient-keys/recipient-key-roles';
import { getCreditName } from '@/lib/users/credit-name';
import { CREDIT_ROLES } from '@/lib/users/credit-roles';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requirePageUser();
  const holdsKeys = hasRole(user, ...RECIPIENT_KEY_ROLES);
  const [keys, grants] = holdsKeys ? await Promise.all([findRecipientKeys(user.id), findUserGrants(user.id)]) : [[], []];
  const creditName = hasRole(user, ...CREDIT_ROLES) ? await getCreditName(user.id) : undefined;
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
      {creditName !== undefined && (
        <Card className="mt-4 max-w-xl">
          <h2 className="mb-3 font-semibold">Credit in datasets</h2>
          <CreditName initialCreditName={creditName} accountName={user.name} />
        </Card>
      )}
      {holdsKeys && (
        <>
          <Card className="mt-4 max-w-3xl">
            <h2 className="mb-3 font-semibold">Dataset keys</h2>
            <RecipientKeys initialKeys={keys} />
          </Card>
          <Card className="mt-4 max-w-3xl">
            <h2 className="mb-3 font-semibold">Datasets shared with you</h2>
            <SharedDatasets grants={grants} cohortUrl={env.appUrl} />
          </Card>
        </>
      )}
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
