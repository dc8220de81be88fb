import { icons } from '@/components/ui/icons';

/** Shown instead of a page when the database does not answer: nothing is lost, try again shortly. */
export function ServiceUnavailable() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4" data-testid="service-unavailable">
      <div className="max-w-md text-center">
        <div className="mb-4 flex justify-center text-amber-600">{icons.offline(40)}</div>
        <h1 className="text-xl font-semibold">Cohort can’t reach its database</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Nothing you saved is lost. This page will work again as soon as the database is back; reload in a
          minute. If it persists, an administrator can check <code className="font-mono">/api/health</code>.
        </p>
      </div>
    </main>
  );
}
