import { createMigrationAdapterFactory } from './migration-adapter';
import { loadMigrations, MIGRATIONS_ROOT } from './migrations-dir';
import { providerOf } from './provider';
import { createSchemaEngine, NO_FILTERS, type SchemaEngine } from './schema-engine';
import { schemaForProvider } from './schema-source';

const EMPTY_MIGRATION = /^\s*(-- This is an empty migration\.)?\s*$/;

/**
 * The SQL that takes a database built from the migration files to the current schema.prisma, or null
 * when they agree. Migrations are replayed on a throwaway shadow database reached through
 * `databaseUrl` (SQLite: in memory; PostgreSQL: a temporary database, so the role needs CREATEDB).
 */
export async function diffMigrationsToSchema({
  databaseUrl,
  migrationsRoot = MIGRATIONS_ROOT,
  schemaText,
}: {
  databaseUrl: string;
  migrationsRoot?: string;
  schemaText?: string;
}): Promise<string | null> {
  const provider = providerOf(databaseUrl);
  const target = schemaForProvider(provider, schemaText === undefined ? {} : { schemaText });
  const factory = createMigrationAdapterFactory(databaseUrl);
  let engine: SchemaEngine | undefined;
  try {
    engine = await createSchemaEngine(target, factory);
    const { stdout } = await engine.diff({
      from: { tag: 'migrations', ...loadMigrations(provider, migrationsRoot) },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: target }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stdout && !EMPTY_MIGRATION.test(stdout) ? stdout : null;
  } finally {
    engine?.free();
    await factory.close();
  }
}
