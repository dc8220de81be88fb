'use client';

import { Button } from '@/components/ui/Button';

/** Unexpected errors inside the app frame. The message stays on the server (digest only here). */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Cohort could not show this page. The error has been logged
        {error.digest ? (
          <>
            {' '}
            with reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        . Try again, and if it persists tell your administrator.
      </p>
      <Button className="mt-6" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
