import type { InputHTMLAttributes } from 'react';
import { cx } from './cx';

export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 dark:border-slate-600 dark:bg-slate-800';

export function TextField({
  label,
  error,
  help,
  id,
  className,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; help?: string; id: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : help ? `${id}-help` : undefined}
        className={cx(inputClass, error && 'border-red-500 focus:border-red-500 focus:ring-red-500/30')}
        {...props}
      />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : (
        help && (
          <p id={`${id}-help`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            {help}
          </p>
        )
      )}
    </div>
  );
}
