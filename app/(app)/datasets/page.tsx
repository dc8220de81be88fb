import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Datasets' };

export default async function DatasetsPage() {
  await requirePageUser({ area: 'datasets' });
  return (
    <>
      <PageHeader title="Datasets" description="Labeled, de-identified, consented dataset versions, published to IPFS and exported for training." />
      <EmptyState icon={icons.datasets(40)} title="No datasets yet">
        <p>
          A dataset version joins accepted labels with the studies whose patients consented to its purpose,
          de-identifies them, writes them as DICOM-SEG, NIfTI or COCO and publishes them with a verifiable
          manifest.
        </p>
        <p>Datasets are built from labeling projects, so they come after projects and consent.</p>
      </EmptyState>
    </>
  );
}
