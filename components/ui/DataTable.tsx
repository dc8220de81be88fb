import type { ReactNode } from 'react';
import { cx } from './cx';

/** The frame every list table shares: scrolling card, header row of `columns`, divided body rows. */
export function DataTable({
  columns,
  testId,
  bodyClassName,
  children,
}: {
  /** Header cells: text, or a node such as a sort link. */
  columns: ReactNode[];
  testId?: string;
  bodyClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
          <tr>
            {columns.map((c, i) => (
              <th key={i} className="px-4 py-3 font-medium">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={cx('divide-y divide-slate-100 dark:divide-slate-800', bodyClassName)}>{children}</tbody>
      </table>
    </div>
  );
}
