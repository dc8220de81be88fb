import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { datasetManifestJsonSchema } from '@/lib/datasets/manifest/manifest-json-schema';
import { ZManifest } from '@/lib/datasets/manifest/manifest-schema';

describe('the dataset manifest JSON Schema', () => {
  it('in docs/schemas is the one generated from the zod schema (npm run datasets:schema)', () => {
    expect(JSON.parse(readFileSync('docs/schemas/dataset-manifest.schema.json', 'utf8'))).toEqual(datasetManifestJsonSchema());
  });

  it('admits a credited name only if it prints as itself (no control characters, |, `, < or >), in zod and in JSON Schema alike', () => {
    const contributor = ZManifest.shape.contributors.element;
    const schema = datasetManifestJsonSchema() as { properties: { contributors: { items: Record<string, unknown> } } };
    const validate = new Ajv2020({ strict: false }).compile({ ...schema.properties.contributors.items, $defs: (schema as { $defs?: unknown }).$defs });
    const of = (name?: string) => ({ id: `p_${'a'.repeat(26)}`, roles: ['reader'], labels: 1, reviews: 0, ...(name === undefined ? {} : { name }) });
    for (const name of [undefined, 'Dr. Ana Lysis, MD', 'Zoë Ørsted']) {
      expect(contributor.safeParse(of(name)).success, String(name)).toBe(true);
      expect(validate(of(name)), String(name)).toBe(true);
    }
    for (const name of ['', 'x'.repeat(121), 'Eve\u001b[31m', 'a\u0085b', 'a | b', '`rm -rf`', '<img>']) {
      expect(contributor.safeParse(of(name)).success, JSON.stringify(name)).toBe(false);
      expect(validate(of(name)), JSON.stringify(name)).toBe(false);
    }
  });
});
