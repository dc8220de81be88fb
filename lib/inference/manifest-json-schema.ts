import { z } from 'zod';
import { ZModelManifest } from './manifest';

/**
 * The manifest contract as JSON Schema (draft 2020-12), generated from the zod schema so the two
 * never disagree: models/manifest.schema.json is this, written by `npm run models:schema`. Checks
 * across fields (layout vs size, unique class indices) live in the zod schema only.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ZModelManifest, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://cohort.dev/schemas/model-manifest.json',
    title: 'Cohort model manifest',
    description: 'models/<name>/manifest.json: an ONNX model for pre-annotation, its input and output, pre- and postprocessing, and provenance.',
  };
}
