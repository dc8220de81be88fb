import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { orNotFound } from '@/app/_lib/or-not-found';
import { DatasetPreviewPanel } from '@/components/datasets/DatasetPreviewPanel';
import { PublishPanel } from '@/components/datasets/PublishPanel';
import { VersionList } from '@/components/datasets/VersionList';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { PURPOSE_TEXT } from '@/lib/consent/purposes';
import { EXCLUSION_TEXT } from '@/lib/datasets/exclusion-reasons';
import { findDatasetVersions } from '@/lib/datasets/find-dataset-versions';
import { getDataset } from '@/lib/datasets/get-dataset';
import { findDatasetGrants } from '@/lib/datasets/grants/find-dataset-grants';
import { previewDataset } from '@/lib/datasets/preview-dataset';
import { findShareableRecipientKeys } from '@/lib/recipient-keys/find-shareable-recipient-keys';

export const metadata: Metadata = { title: 'Dataset' };

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  await requirePageUser({ area: 'datasets' });
  const { datasetId } = await params;
  const dataset = await orNotFound(getDataset(datasetId));
  // The datasets area is ML engineers' and admins': they see every registered key to share with.
  const [preview, versions, shareableKeys, grants] = await Promise.all([
    previewDataset(dataset),
    findDatasetVersions(dataset.id, dataset.purpose),
    findShareableRecipientKeys(),
    findDatasetGrants(dataset.id),
  ]);
  const publishing = versions.find((v) => v.status === 'publishing');
  const { filters, split } = dataset;
  return (
    <>
      <PageHeader title={dataset.name} description={dataset.description || undefined} actions={<ButtonLink href={`/datasets/${dataset.id}/edit`} variant="secondary">Change definition</ButtonLink>} />
      <Card className="mb-6">
        <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3" data-testid="dataset-definition">
          <Term label="Projects">
            {dataset.projects.map((p, i) => (
              <span key={p.id}>
                {i > 0 && ', '}
                <Link href={`/projects/${p.id}`} className="text-brand-700 hover:underline dark:text-brand-500">
                  {p.name}
                </Link>
              </span>
            ))}
          </Term>
          <Term label="Use">{PURPOSE_TEXT[dataset.purpose].label} {dataset.purpose === 'public_release' ? '(published unencrypted)' : '(published encrypted)'}</Term>
          <Term label="Labels">{dataset.labelStatus === 'accepted' ? 'Accepted by a reviewer' : 'Newest of each study, any status'}</Term>
          <Term label="Filters">
            {[filters.modalities.join(', '), filters.classes.join(', '), filters.from || filters.to ? `${filters.from ?? '…'} to ${filters.to ?? '…'}` : ''].filter(Boolean).join(' · ') || 'None'}
          </Term>
          <Term label="Split">
            {split.train}% train · {split.val}% validation · {split.test}% test, by patient{split.stratify ? ', stratified by class' : ''} (seed “{split.seed}”)
          </Term>
          <Term label="Licence">{dataset.license}</Term>
        </dl>
      </Card>
      <section className="mb-8 space-y-4" aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="text-lg font-semibold">
          Versions
        </h2>
        <PublishPanel datasetId={dataset.id} runningJobId={publishing?.jobId ?? null} eligible={preview.summary.included} encrypted={dataset.purpose !== 'public_release'} />
        <VersionList versions={versions} shareableKeys={shareableKeys} grants={grants} />
      </section>
      <h2 className="mb-1 text-lg font-semibold">If published now</h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        Consent as of {new Date(preview.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC. Publishing checks it again, in the same transaction that records the version.
      </p>
      <DatasetPreviewPanel preview={preview} reasonText={EXCLUSION_TEXT} />
    </>
  );
}

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 uppercase">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
