/**
 * Generates one Prisma client per database provider from prisma/schema.prisma into
 * lib/db/generated/<provider>. Runs on `npm install` (postinstall) and after schema edits.
 * The native schema engine cannot be downloaded here and generation does not need it, so the CLI is
 * pointed at /bin/true for it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DATABASE_PROVIDERS } from '../lib/db/provider';
import { schemaForProvider } from '../lib/db/schema-source';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const workDir = path.join(process.cwd(), 'node_modules', '.cache', 'cohort-prisma');
mkdirSync(workDir, { recursive: true });

for (const provider of DATABASE_PROVIDERS) {
  const output = path.join(process.cwd(), 'lib', 'db', 'generated', provider);
  const schemaFile = path.join(workDir, `schema.${provider}.prisma`);
  writeFileSync(schemaFile, schemaForProvider(provider, { output }));
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout);
    process.exit(result.status ?? 1);
  }
  console.log(`generated Prisma client for ${provider} -> ${path.relative(process.cwd(), output)}`);
}
