import Link from 'next/link';
import { Badge } from '@/components/ui/Badge';
import type { UserView } from '@/lib/users/user-view';

export function UserTable({ users, roleLabels }: { users: UserView[]; roleLabels: Record<string, string> }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-left text-sm" data-testid="user-table">
        <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th className="px-4 py-3 font-medium">Name</th>
            <th className="px-4 py-3 font-medium">Email</th>
            <th className="px-4 py-3 font-medium">Roles</th>
            <th className="px-4 py-3 font-medium">Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {users.map((u) => (
            <tr key={u.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <td className="px-4 py-3 font-medium">
                <Link href={`/admin/users/${u.id}`} className="hover:underline">
                  {u.name}
                </Link>
              </td>
              <td className="px-4 py-3 text-slate-600 dark:text-slate-400">{u.email}</td>
              <td className="px-4 py-3">
                <div className="flex flex-wrap gap-1">
                  {u.roles.map((r) => (
                    <Badge key={r} tone="brand">
                      {roleLabels[r] ?? r}
                    </Badge>
                  ))}
                </div>
              </td>
              <td className="px-4 py-3">
                {u.status === 'deactivated' ? (
                  <Badge tone="danger">Deactivated</Badge>
                ) : u.mustChangePassword ? (
                  <Badge tone="warning">Invited</Badge>
                ) : (
                  <Badge tone="success">Active</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
