import type { ReactNode } from 'react';

/** What a page shows when it has nothing yet: what will appear here, and what to do next. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div
      data-testid="empty-state"
      className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="mb-4 text-brand-600 dark:text-brand-500" aria-hidden>
        {icon}
      </div>
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="mt-2 max-w-xl space-y-2 text-sm text-slate-600 dark:text-slate-400">{children}</div>
      {action && <div className="mt-6">{action}</div>}
    </div>
  );
}
