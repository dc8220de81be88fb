'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { cx } from '@/components/ui/cx';

export function NavLink({ href, icon, children, badge }: { href: string; icon: ReactNode; children: ReactNode; badge?: number }) {
  const pathname = usePathname();
  const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={cx(
        'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap',
        active
          ? 'bg-brand-50 text-brand-700 dark:bg-brand-900/50 dark:text-brand-100'
          : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
      )}
    >
      {icon}
      <span className="flex-1">{children}</span>
      {badge ? (
        <span className="rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white" aria-label={`${badge} unread`}>
          {badge}
        </span>
      ) : null}
    </Link>
  );
}
