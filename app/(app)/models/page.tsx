import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ModelCard } from '@/components/models/ModelCard';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { modelEditStats } from '@/lib/inference/proposal-edits';
import { listModels } from '@/lib/inference/registry';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  await requirePageUser({ area: 'models' });
  // The folder on disk stays on the server.
  const models = await Promise.all((await listModels()).map(async ({ dir: _, ...model }) => ({ model, edits: await modelEditStats(model.name) })));
  return (
    <>
      <PageHeader title="Models" description="ONNX models that pre-annotate studies: what each one is and is not, its graph, license, checksum and measured accuracy." />
      {models.length === 0 ? (
        <EmptyState icon={icons.models(40)} title="No models in the registry">
          <p>
            Each model is a folder under <code>models/</code> (or <code>COHORT_MODELS_DIR</code>) with its <code>model.onnx</code> and a{' '}
            <code>manifest.json</code>: what it segments, the modality it applies to, its pre- and postprocessing, license and SHA-256. See
            docs/models.md.
          </p>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {models.map(({ model, edits }) => (
            <ModelCard key={model.name} model={model} edits={edits} />
          ))}
        </div>
      )}
    </>
  );
}
