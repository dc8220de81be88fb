import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseProvider } from './provider';

export const PRISMA_DIR = path.join(process.cwd(), 'prisma');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');

/** schema.prisma with its datasource provider (and optionally the client output) set for `provider`. */
export function schemaForProvider(
  provider: DatabaseProvider,
  { schemaText = readFileSync(SCHEMA_PATH, 'utf8'), output }: { schemaText?: string; output?: string } = {},
): string {
  const datasource = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"[^"]+"/;
  if (!datasource.test(schemaText)) throw new Error('schema.prisma has no `datasource db { provider = ... }` block');
  let text = schemaText.replace(datasource, `$1"${provider}"`);
  if (output) text = text.replace(/(generator\s+client\s*\{[^}]*output\s*=\s*)"[^"]+"/, `$1${JSON.stringify(output)}`);
  return text;
}
