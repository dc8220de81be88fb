import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { Badge } from '@/components/ui/Badge';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { areasFor } from '@/lib/auth/areas';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/lib/auth/roles';

export default async function HomePage() {
  const user = await requirePageUser();
  const areas = areasFor(user.roles);
  return (
    <>
      <PageHeader title={`Welcome, ${user.name.split(' ')[0]}`} description="What you can do in Cohort with your roles." />
      <ul className="mb-8 space-y-1 text-sm" data-testid="role-summary">
        {user.roles.map((role) => (
          <li key={role} className="flex items-baseline gap-2">
            <Badge tone="brand">{ROLE_LABELS[role]}</Badge>
            <span className="text-slate-600 dark:text-slate-400">{ROLE_DESCRIPTIONS[role]}</span>
          </li>
        ))}
      </ul>
      {areas.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Your account has no role yet, so there is nothing to open. Ask an administrator to give you one.
        </p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {areas.map((area) => (
            <Link
              key={area.key}
              href={area.href}
              className="group rounded-lg border border-slate-200 bg-white p-5 shadow-sm transition hover:border-brand-500 dark:border-slate-800 dark:bg-slate-900"
            >
              <div className="text-brand-600 dark:text-brand-500">{icons[area.key](28)}</div>
              <h2 className="mt-3 font-semibold group-hover:text-brand-700 dark:group-hover:text-brand-500">{area.label}</h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{area.summary}</p>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
