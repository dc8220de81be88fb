import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { ModelCard } from '@/components/models/ModelCard';
import { ModelUploadForm } from '@/components/models/ModelUploadForm';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { modelSpeed } from '@/lib/inference/model-speed';
import { modelEditStats } from '@/lib/inference/proposal-edits';
import { listModels } from '@/lib/inference/registry';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  await requirePageUser({ area: 'models' });
  // The folder on disk stays on the server.
  const models = await Promise.all(
    (await listModels()).map(async ({ dir: _, ...model }) => ({
      model,
      edits: await modelEditStats(model.name),
      speed: model.sha256 ? await modelSpeed(model.name, model.sha256) : null,
    })),
  );
  return (
    <>
      <PageHeader title="Models" description="ONNX models that pre-annotate studies: what each one is and is not, its graph, license, checksum and measured accuracy." />
      {models.length === 0 ? (
        <EmptyState icon={icons.models(40)} title="No models in the registry">
          <p>
            Add one below, or put a folder under <code>models/</code> (or <code>COHORT_MODELS_DIR</code>) with its <code>model.onnx</code> and a{' '}
            <code>manifest.json</code>: what it segments, the modality it applies to, its pre- and postprocessing, license and SHA-256. See
            docs/models.md.
          </p>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {models.map(({ model, edits, speed }) => (
            <ModelCard key={model.name} model={model} edits={edits} speed={speed} />
          ))}
        </div>
      )}
      <Card className="mt-6">
        <h2 className="text-base font-semibold">Add a model</h2>
        <p className="mt-1 mb-3 text-sm text-slate-600 dark:text-slate-400">
          Your own ONNX segmentation, detection or classification model (a MONAI, nnU-Net or YOLO export, say) with a manifest that says what it takes and gives: see docs/models.md and
          the JSON Schema in models/manifest.schema.json. It is checked like the shipped models (SHA-256, graph against manifest, one run on a dummy
          input) before anyone can use it, and its registration is written to the ledger.
        </p>
        <ModelUploadForm />
      </Card>
    </>
  );
}
