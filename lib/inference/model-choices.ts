import type { LabelSchema } from '@/lib/annotations/label-schema';
import { AppError } from '@/lib/errors/app-error';
import { requireSchemaFit } from './class-mapping';
import type { ModelManifest } from './manifest';
import { listModels, requireModel } from './registry';

export type ModelChoice = { name: string; title: string; task: ModelManifest['task']; modalities: string[] };

/**
 * Models that can pre-annotate a project of these modalities (empty: any): ready ones reading one of
 * them, and with `schema`, only those whose classes are classes of it.
 */
export async function modelChoices(projectModalities: readonly string[], schema?: LabelSchema): Promise<ModelChoice[]> {
  const fits = (manifest: ModelManifest) => {
    try {
      if (schema) requireSchemaFit(manifest, schema);
      return true;
    } catch {
      return false;
    }
  };
  return (await listModels())
    .filter((m) => m.status === 'ready')
    .filter((m) => projectModalities.length === 0 || m.manifest!.modalities.some((x) => projectModalities.includes(x)))
    .filter((m) => fits(m.manifest!))
    .map((m) => ({ name: m.name, title: m.manifest!.title, task: m.manifest!.task, modalities: m.manifest!.modalities }));
}

/**
 * The model may pre-annotate a project of these modalities and this label schema: it is ready, reads
 * one of the modalities, and its classes are classes of the schema (segments, box classes or a
 * question's choices, as its task needs).
 */
export async function requireAttachableModel(modelName: string, project: { modalities: readonly string[]; schema: LabelSchema }): Promise<void> {
  const { manifest } = await requireModel(modelName);
  const { modalities } = project;
  if (modalities.length && !manifest.modalities.some((m) => modalities.includes(m))) {
    throw new AppError('CONFLICT', `${manifest.title} reads ${manifest.modalities.join(', ')}; this project labels ${modalities.join(', ')}.`);
  }
  requireSchemaFit(manifest, project.schema);
}
