import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_ROOT } from '@/lib/db/migrations-dir';
import type { DatabaseProvider } from '@/lib/db/provider';

/** The provider's migrations up to and including `last`, as a migrations root of their own (a temp folder). */
export function migrationsUpTo(provider: DatabaseProvider, last: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cohort-migrations-'));
  const from = path.join(MIGRATIONS_ROOT, provider);
  for (const name of readdirSync(from)) {
    if (name.endsWith('.toml') || name <= last) cpSync(path.join(from, name), path.join(root, provider, name), { recursive: true });
  }
  return root;
}
