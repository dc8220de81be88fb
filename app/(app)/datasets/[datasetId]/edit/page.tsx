import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { orNotFound } from '@/app/_lib/or-not-found';
import { DatasetForm } from '@/components/datasets/DatasetForm';
import { PageHeader } from '@/components/ui/PageHeader';
import { PURPOSE_OPTIONS } from '@/lib/consent/purposes';
import { EXCLUSION_TEXT } from '@/lib/datasets/exclusion-reasons';
import { getDataset } from '@/lib/datasets/get-dataset';
import { datasetProjectOptions } from '@/lib/datasets/project-options';
import type { CreateDatasetInput } from '@/lib/datasets/schemas';
import { previewDatasetAction, updateDatasetAction } from '../../actions';

export const metadata: Metadata = { title: 'Change dataset' };

export default async function EditDatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  await requirePageUser({ area: 'datasets' });
  const { datasetId } = await params;
  const dataset = await orNotFound(getDataset(datasetId));
  const save = async (input: CreateDatasetInput) => {
    'use server';
    const { name: _name, ...rest } = input;
    return updateDatasetAction({ datasetId, ...rest });
  };
  return (
    <>
      <PageHeader title={`Change ${dataset.name}`} description="Versions already published keep what they were published with; the next version follows this definition." />
      <DatasetForm projects={await datasetProjectOptions(dataset.projectIds)} purposes={PURPOSE_OPTIONS} reasonText={EXCLUSION_TEXT} initial={{ ...dataset, projectIds: [...dataset.projectIds] }} save={save} preview={previewDatasetAction} />
    </>
  );
}
