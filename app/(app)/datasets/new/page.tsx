import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { DatasetForm } from '@/components/datasets/DatasetForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { PURPOSE_OPTIONS } from '@/lib/consent/purposes';
import { EXCLUSION_TEXT } from '@/lib/datasets/exclusion-reasons';
import { datasetProjectOptions } from '@/lib/datasets/project-options';
import { createDatasetAction, previewDatasetAction } from '../actions';

export const metadata: Metadata = { title: 'New dataset' };

export default async function NewDatasetPage() {
  await requirePageUser({ area: 'datasets' });
  return (
    <>
      <PageHeader title="New dataset" description="Which projects' labels, for which use, split how. Preview shows exactly which studies it would hold and why the others would not; nothing is published until you publish a version." />
      <DatasetForm projects={await datasetProjectOptions()} purposes={PURPOSE_OPTIONS} reasonText={EXCLUSION_TEXT} save={createDatasetAction} preview={previewDatasetAction} />
    </>
  );
}
