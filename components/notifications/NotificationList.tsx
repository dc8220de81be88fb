import Link from 'next/link';
import { cx } from '@/components/ui/cx';

export type NotificationItem = {
  id: string;
  title: string;
  body: string;
  href: string | null;
  createdAt: string;
  read: boolean;
};

export function NotificationList({ items }: { items: NotificationItem[] }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
      {items.map((n) => (
        <li key={n.id} className={cx('flex gap-3 px-5 py-4', !n.read && 'bg-brand-50/60 dark:bg-brand-900/20')}>
          <span
            aria-label={n.read ? 'read' : 'unread'}
            className={cx('mt-1.5 h-2 w-2 shrink-0 rounded-full', n.read ? 'bg-transparent' : 'bg-brand-600')}
          />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="font-medium">{n.href ? <Link href={n.href} className="hover:underline">{n.title}</Link> : n.title}</p>
              <time dateTime={n.createdAt} className="text-xs text-slate-500 dark:text-slate-400">
                {new Date(n.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC
              </time>
            </div>
            <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{n.body}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
