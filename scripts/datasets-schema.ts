/** Writes docs/schemas/dataset-manifest.schema.json from the zod schema (lib/datasets/manifest/manifest-schema.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { datasetManifestJsonSchema } from '@/lib/datasets/manifest/manifest-json-schema';

mkdirSync('docs/schemas', { recursive: true });
writeFileSync('docs/schemas/dataset-manifest.schema.json', `${JSON.stringify(datasetManifestJsonSchema(), null, 2)}\n`);
console.log('wrote docs/schemas/dataset-manifest.schema.json');
