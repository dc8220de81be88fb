import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-1 text-xl font-semibold">Nothing here</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">The page does not exist, or you may not see it.</p>
        <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-700 hover:underline dark:text-brand-500">
          Back to your home page
        </Link>
      </div>
    </main>
  );
}
