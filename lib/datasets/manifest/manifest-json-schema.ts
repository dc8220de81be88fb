import { z } from 'zod';
import { ZManifest } from './manifest-schema';

/**
 * The dataset manifest contract as JSON Schema (draft 2020-12), generated from the zod schema:
 * docs/schemas/dataset-manifest.schema.json is this, written by `npm run datasets:schema`.
 */
export function datasetManifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ZManifest, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://cohort.dev/schemas/dataset-manifest.json',
    title: 'Cohort dataset manifest',
    description: 'manifest.json of a published dataset version: files with size, SHA-256 and CID; studies with split and consent proof; contributors; models; the checkpoint the proofs refer to. Signed by manifest.sig.',
  };
}
