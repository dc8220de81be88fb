/** Writes models/manifest.schema.json from the zod schema (lib/inference/manifest.ts). */
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '@/lib/inference/manifest-json-schema';

writeFileSync('models/manifest.schema.json', `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log('wrote models/manifest.schema.json');
