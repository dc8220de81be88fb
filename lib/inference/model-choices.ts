import { AppError } from '@/lib/errors/app-error';
import { listModels, requireModel } from './registry';

export type ModelChoice = { name: string; title: string; modalities: string[] };

/** Models that can pre-annotate a project of these modalities (empty: any): ready ones reading one of them. */
export async function modelChoices(projectModalities: readonly string[]): Promise<ModelChoice[]> {
  return (await listModels())
    .filter((m) => m.status === 'ready')
    .filter((m) => projectModalities.length === 0 || m.manifest!.modalities.some((x) => projectModalities.includes(x)))
    .map((m) => ({ name: m.name, title: m.manifest!.title, modalities: m.manifest!.modalities }));
}

/** The model may pre-annotate a project of these modalities: it is ready and reads one of them. */
export async function requireAttachableModel(modelName: string, projectModalities: readonly string[]): Promise<void> {
  const { manifest } = await requireModel(modelName);
  if (projectModalities.length && !manifest.modalities.some((m) => projectModalities.includes(m))) {
    throw new AppError('CONFLICT', `${manifest.title} reads ${manifest.modalities.join(', ')}; this project labels ${projectModalities.join(', ')}.`);
  }
}
