import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { UserTable } from '@/components/admin/UserTable';
import { Button, ButtonLink } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { inputClass } from '@/components/ui/TextField';
import { ROLE_LABELS, ROLES } from '@/lib/auth/roles';
import { findUsers, USERS_PAGE_SIZE } from '@/lib/users/find-users';
import { ZFindUsersQuery } from '@/lib/users/schemas';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser({ area: 'admin' });
  const raw = await searchParams;
  // Unknown filter values are ignored rather than failing the page.
  const parsed = ZFindUsersQuery.safeParse({ q: raw.q || undefined, role: raw.role || undefined, status: raw.status || undefined });
  const query = parsed.success ? parsed.data : {};
  const users = await findUsers(query);
  const filtered = Boolean(query.q || query.role || query.status);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Cohort, and what their roles let them do."
        actions={<ButtonLink href="/admin/users/new">New user</ButtonLink>}
      />
      <form className="mb-4 flex flex-wrap gap-2" role="search">
        <input name="q" defaultValue={query.q} placeholder="Name or email" aria-label="Search by name or email" className={`${inputClass} max-w-xs`} />
        <select name="role" defaultValue={query.role ?? ''} aria-label="Role" className={`${inputClass} w-auto`}>
          <option value="">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <select name="status" defaultValue={query.status ?? ''} aria-label="Status" className={`${inputClass} w-auto`}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="deactivated">Deactivated</option>
        </select>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {users.length === 0 ? (
        <EmptyState icon={icons.me(40)} title={filtered ? 'No user matches these filters' : 'No users yet'}>
          <p>{filtered ? 'Clear a filter to see more people.' : 'Create accounts for your radiologists, ML engineers and fellow admins.'}</p>
        </EmptyState>
      ) : (
        <>
          <UserTable users={users} roleLabels={ROLE_LABELS} />
          {users.length === USERS_PAGE_SIZE && (
            <p className="mt-2 text-xs text-slate-500">Showing the newest {USERS_PAGE_SIZE}; search to narrow down.</p>
          )}
        </>
      )}
    </>
  );
}
