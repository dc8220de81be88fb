/**
 * Writes a migration per provider from the difference between the existing migrations and
 * prisma/schema.prisma:  npm run db:new-migration -- <name>
 * SQLite runs in memory; PostgreSQL needs a server whose role may create databases, given by
 * COHORT_MIGRATIONS_PG_URL (default postgres://cohort:cohort@127.0.0.1:5432/postgres).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockfileContent, migrationsDirFor } from '../lib/db/migrations-dir';
import type { DatabaseProvider } from '../lib/db/provider';
import { diffMigrationsToSchema } from '../lib/db/schema-diff';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:new-migration -- <name in snake_case>');
  process.exit(2);
}
const pgUrl = process.env.COHORT_MIGRATIONS_PG_URL ?? 'postgres://cohort:cohort@127.0.0.1:5432/postgres';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'cohort-migration-'));
const urls: Record<DatabaseProvider, string> = {
  sqlite: `file:${path.join(scratch, 'scratch.db')}`,
  postgresql: pgUrl,
};
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

try {
  for (const [provider, databaseUrl] of Object.entries(urls) as [DatabaseProvider, string][]) {
    const sql = await diffMigrationsToSchema({ databaseUrl });
    if (!sql) {
      console.log(`${provider}: migrations already match schema.prisma; nothing written`);
      continue;
    }
    const dir = migrationsDirFor(provider);
    mkdirSync(path.join(dir, `${stamp}_${name}`), { recursive: true });
    writeFileSync(path.join(dir, 'migration_lock.toml'), lockfileContent(provider));
    writeFileSync(path.join(dir, `${stamp}_${name}`, 'migration.sql'), sql);
    console.log(`${provider}: wrote ${path.relative(process.cwd(), path.join(dir, `${stamp}_${name}`, 'migration.sql'))}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
