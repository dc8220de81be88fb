import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetManifestJsonSchema } from '@/lib/datasets/manifest/manifest-json-schema';

describe('the dataset manifest JSON Schema', () => {
  it('in docs/schemas is the one generated from the zod schema (npm run datasets:schema)', () => {
    expect(JSON.parse(readFileSync('docs/schemas/dataset-manifest.schema.json', 'utf8'))).toEqual(datasetManifestJsonSchema());
  });
});
