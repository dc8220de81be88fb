import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { ThemeToggle } from '@/components/theme/ThemeToggle';
import { Badge } from '@/components/ui/Badge';
import { icons } from '@/components/ui/icons';
import { NavLink } from './NavLink';

export type ShellArea = { key: keyof typeof icons; href: string; label: string };

/** The frame around every signed-in page: navigation for the user's roles, inbox, account, theme. */
export function AppShell({
  instanceName,
  user,
  areas,
  unread,
  children,
}: {
  instanceName: string;
  user: { name: string; email: string; roleLabels: string[] };
  areas: ShellArea[];
  unread: number;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-64 md:flex-col md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center gap-2 px-5 py-4">
          <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-600 text-sm font-bold text-white">C</span>
          <div className="min-w-0">
            <p className="font-semibold leading-tight">Cohort</p>
            {instanceName !== 'Cohort' && <p className="truncate text-xs text-slate-500 dark:text-slate-400">{instanceName}</p>}
          </div>
        </div>
        <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-1 md:flex-col md:overflow-visible">
          <NavLink href="/" icon={icons.home(18)}>
            Home
          </NavLink>
          {areas.map((area) => (
            <NavLink key={area.key} href={area.href} icon={icons[area.key](18)}>
              {area.label}
            </NavLink>
          ))}
        </nav>
        <div className="hidden space-y-1 border-t border-slate-200 px-3 py-3 md:block dark:border-slate-800">
          <NavLink href="/notifications" icon={icons.bell(18)} badge={unread}>
            Notifications
          </NavLink>
          <NavLink href="/account" icon={icons.account(18)}>
            Account
          </NavLink>
          <SignOutButton className="flex w-full items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800" />
          <div className="px-3 pt-2">
            <ThemeToggle />
          </div>
          <div className="px-3 pt-3" data-testid="signed-in-user">
            <p className="truncate text-sm font-medium">{user.name}</p>
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">{user.email}</p>
            <div className="mt-1 flex flex-wrap gap-1">
              {user.roleLabels.map((r) => (
                <Badge key={r} tone="brand">
                  {r}
                </Badge>
              ))}
            </div>
          </div>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        {/* On small screens the account controls sit in a bar above the page. */}
        <div className="flex items-center justify-end gap-2 border-b border-slate-200 px-4 py-2 md:hidden dark:border-slate-800">
          <NavLink href="/notifications" icon={icons.bell(18)} badge={unread}>
            <span className="sr-only">Notifications</span>
          </NavLink>
          <NavLink href="/account" icon={icons.account(18)}>
            <span className="sr-only">Account</span>
          </NavLink>
          <SignOutButton className="flex items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-700 dark:text-slate-300" />
        </div>
        <main className="mx-auto max-w-6xl px-4 py-8 md:px-8">{children}</main>
      </div>
    </div>
  );
}
