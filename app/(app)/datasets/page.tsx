import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { Badge } from '@/components/ui/Badge';
import { ButtonLink } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { PURPOSE_TEXT } from '@/lib/consent/purposes';
import { findDatasets } from '@/lib/datasets/find-datasets';

export const metadata: Metadata = { title: 'Datasets' };

export default async function DatasetsPage() {
  await requirePageUser({ area: 'datasets' });
  const datasets = await findDatasets();
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Labeled, de-identified, consented dataset versions, published to IPFS and exported for training."
        actions={datasets.length ? <ButtonLink href="/datasets/new">New dataset</ButtonLink> : undefined}
      />
      {datasets.length === 0 ? (
        <EmptyState icon={icons.datasets(40)} title="No datasets yet" action={<ButtonLink href="/datasets/new">Define the first dataset</ButtonLink>}>
          <p>
            A dataset joins the labels of one or more projects with the studies whose patients consented to its use,
            splits them by patient into train, validation and test, and, when you publish a version, de-identifies them
            and publishes them with a verifiable manifest.
          </p>
          <p>Preview shows exactly which studies it would hold, and why each other study would not.</p>
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Datasets">
          {datasets.map((d) => (
            <li key={d.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
              <div className="flex items-start justify-between gap-3">
                <Link href={`/datasets/${d.id}`} className="text-base font-semibold text-brand-700 hover:underline dark:text-brand-500">
                  {d.name}
                </Link>
                <Badge tone={d.purpose === 'public_release' ? 'warning' : 'brand'}>{PURPOSE_TEXT[d.purpose].label}</Badge>
              </div>
              {d.description && <p className="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{d.description}</p>}
              <p className="mt-3 text-xs text-slate-500">
                From {d.projects.map((p) => p.name).join(', ')} · {d.labelStatus === 'accepted' ? 'accepted labels' : 'any label'} · split {d.split.train}/{d.split.val}/{d.split.test} · {d.license}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
