import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  await requirePageUser({ area: 'models' });
  return (
    <>
      <PageHeader title="Models" description="ONNX models that pre-annotate studies, with their manifests, licenses and measured accuracy." />
      <EmptyState icon={icons.models(40)} title="No models registered yet">
        <p>
          Each model is an ONNX file with a manifest: what it segments or detects, the modality it applies to,
          its preprocessing, license and checksum. Every AI proposal records exactly which model made it.
        </p>
        <p>The model registry and pre-annotation arrive with the inference part of Cohort.</p>
      </EmptyState>
    </>
  );
}
