import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/SignInForm';
import { safeNextPath } from '@/components/auth/safe-next-path';
import { getSessionUser } from '@/lib/auth/session-user';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { getSettings } from '@/lib/settings/get-settings';
import { SETTINGS } from '@/lib/settings/registry';

export const metadata: Metadata = { title: 'Sign in' };

async function loadPage() {
  try {
    const [user, settings] = await Promise.all([getSessionUser(await headers()), getSettings()]);
    return { user, name: settings['instance.name'], contact: settings['instance.supportContact'] };
  } catch (err) {
    // The form still renders without the database; signing in will then say it is unavailable.
    if (!isDatabaseUnavailable(err)) throw err;
    return { user: null, name: SETTINGS['instance.name'].default, contact: '' };
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const { user, name, contact } = await loadPage();
  if (user) redirect(safeNextPath(next));
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <span className="inline-flex h-12 w-12 items-center justify-center rounded-lg bg-brand-600 text-xl font-bold text-white">C</span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to {name}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Imaging labels, consent and datasets you can verify.</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <SignInForm next={next} />
        </div>
        <p className="mt-6 text-center text-xs text-slate-500 dark:text-slate-400">
          No account, or forgot your password? {contact ? `Contact ${contact}.` : 'Ask your Cohort administrator.'}
        </p>
        <p className="mt-2 text-center text-xs text-slate-500 dark:text-slate-400">
          A patient with a letter from the hospital?{' '}
          <Link href="/claim" className="font-medium underline">
            Open your account
          </Link>
        </p>
      </div>
    </main>
  );
}
