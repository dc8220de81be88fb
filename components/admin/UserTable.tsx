import Link from 'next/link';
import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import type { UserView } from '@/lib/users/user-view';

export function UserTable({ users, roleLabels }: { users: UserView[]; roleLabels: Record<string, string> }) {
  return (
    <DataTable columns={['Name', 'Email', 'Roles', 'Status']} testId="user-table">
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
    </DataTable>
  );
}
