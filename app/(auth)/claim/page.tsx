import type { Metadata } from 'next';
import Link from 'next/link';
import { ClaimAccountForm } from '@/components/patients/ClaimAccountForm';

export const metadata: Metadata = { title: 'Open your patient account' };

/** Where a patient's letter sends them (its QR code fills the code in): a code and a few details open their account. */
export default async function ClaimPage({ searchParams }: { searchParams: Promise<{ code?: string }> }) {
  const { code } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <span className="inline-flex h-12 w-12 items-center justify-center rounded-lg bg-brand-600 text-xl font-bold text-white">C</span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">See your imaging studies</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            With the code from the hospital&apos;s letter you open an account where you see your studies and decide how each may be used for
            research.
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <ClaimAccountForm code={code?.slice(0, 64)} />
        </div>
        <p className="mt-6 text-center text-xs text-slate-500 dark:text-slate-400">
          Already have an account?{' '}
          <Link href="/sign-in?next=/me" className="font-medium underline">
            Sign in
          </Link>{' '}
          and add the code under My studies.
        </p>
      </div>
    </main>
  );
}
