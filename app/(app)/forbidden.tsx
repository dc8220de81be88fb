import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-brand-600">403</p>
        <h1 className="mt-1 text-xl font-semibold">This part of Cohort is not open to your role</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          If you need it for your work, ask an administrator to add the role to your account.
        </p>
        <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-700 hover:underline dark:text-brand-500">
          Back to your home page
        </Link>
      </div>
    </main>
  );
}
