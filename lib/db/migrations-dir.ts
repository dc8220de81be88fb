import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { DatabaseProvider } from './provider';
import { PRISMA_DIR } from './schema-source';

export const MIGRATIONS_ROOT = path.join(PRISMA_DIR, 'migrations');
const LOCKFILE = 'migration_lock.toml';
const MIGRATION_NAME = /^\d{14}_[a-z0-9_]+$/;

export function migrationsDirFor(provider: DatabaseProvider, root = MIGRATIONS_ROOT): string {
  return path.join(root, provider);
}

/** Reads prisma/migrations/<provider>/<timestamp>_<name>/migration.sql into the engine's format, in order. */
export function loadMigrations(provider: DatabaseProvider, root = MIGRATIONS_ROOT): MigrationList {
  const baseDir = migrationsDirFor(provider, root);
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const invalid = names.filter((n) => !MIGRATION_NAME.test(n));
  if (invalid.length) throw new Error(`Unexpected folders in ${baseDir}: ${invalid.join(', ')}`);
  const lockPath = path.join(baseDir, LOCKFILE);
  return {
    baseDir,
    // Before the first migration there is no lockfile; the engine still needs to know the connector.
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : lockfileContent(provider) },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const file = path.join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: existsSync(file)
          ? { path: 'migration.sql', content: { tag: 'ok' as const, value: readFileSync(file, 'utf8') } }
          : { path: 'migration.sql', content: { tag: 'error' as const, value: `${file} is missing` } },
      };
    }),
  };
}

export function lockfileContent(provider: DatabaseProvider): string {
  return `# Written by scripts/db-new-migration.ts. Do not edit.\nprovider = "${provider}"\n`;
}
