import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Worklist' };

export default async function WorklistPage() {
  await requirePageUser({ area: 'worklist' });
  return (
    <>
      <PageHeader title="Worklist" description="Studies waiting to be read, with their project and AI pre-annotation status." />
      <EmptyState icon={icons.worklist(40)} title="No studies to read yet">
        <p>
          The worklist will list every study assigned to you, newest first, with modality, date, project and
          whether an AI proposal is waiting for your correction.
        </p>
        <p>
          Cohort holds no studies yet. They will arrive by browser upload, DICOMweb STOW-RS or import from the
          hospital PACS, which is the part of Cohort being built next.
        </p>
      </EmptyState>
    </>
  );
}
