import { createMigrationAdapterFactory } from './migration-adapter';
import { withMigrationLock } from './migration-lock';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { loadMigrations, MIGRATIONS_ROOT } from './migrations-dir';
import { providerOf } from './provider';
import { createSchemaEngine, NO_FILTERS, type SchemaEngine } from './schema-engine';
import { schemaForProvider } from './schema-source';

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export type MigrateOptions = {
  databaseUrl: string;
  /** Folder holding `<provider>/<migration>/migration.sql`; the repo's prisma/migrations by default. */
  migrationsRoot?: string;
  log?: (message: string) => void;
};

export type MigrateResult = { applied: string[]; retried: string[] };

/**
 * Applies pending migrations with the WebAssembly schema engine, recording them in `_prisma_migrations`
 * exactly as `prisma migrate deploy` would. Safe to re-run: applied migrations are skipped. Each
 * migration is atomic (see migration-adapter.ts), so one that failed earlier left nothing behind and
 * is retried; an applied migration whose file changed since is refused.
 */
export async function migrateDatabase({
  databaseUrl,
  migrationsRoot = MIGRATIONS_ROOT,
  log = () => {},
}: MigrateOptions): Promise<MigrateResult> {
  const provider = providerOf(databaseUrl);
  const migrationsList = loadMigrations(provider, migrationsRoot);
  assertMigrationsAtomic(migrationsList);

  return withEngine(databaseUrl, async (engine) => {
    const retried = await clearFailedMigrations(engine, migrationsList, log);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      for (const name of appliedMigrationNames) log(`applied migration ${name}`);
      return { applied: appliedMigrationNames, retried };
    } catch (err) {
      const failed = await failedMigrationNames(engine, migrationsList).catch(() => []);
      const name = failed[0];
      const reason = errorText(err);
      throw new MigrationError(
        name
          ? `Migration "${name}" failed and was rolled back; the schema is as it was before it. ${reason} ` +
              `(If its changes are in fact already there, e.g. after a crash right after it ran, ` +
              `check by hand and run: npm run db:migrate -- --mark-applied ${name})`
          : `Applying migrations failed: ${reason}`,
        name,
      );
    }
  });
}

/**
 * Records a migration's outcome by hand, for an operator who checked the schema after an interrupted
 * run: `applied` (its changes are there) or `rolled-back` (they are not; it will run again).
 */
export async function markMigration({
  databaseUrl,
  migrationName,
  as,
  migrationsRoot = MIGRATIONS_ROOT,
}: {
  databaseUrl: string;
  migrationName: string;
  as: 'applied' | 'rolled-back';
  migrationsRoot?: string;
}): Promise<void> {
  const migrationsList = loadMigrations(providerOf(databaseUrl), migrationsRoot);
  await withEngine(databaseUrl, async (engine) => {
    if (as === 'applied') await engine.markMigrationApplied({ migrationName, migrationsList });
    else await engine.markMigrationRolledBack({ migrationName });
  });
}

/** The schema engine on this database, under the migration lock, always released. */
async function withEngine<T>(databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  return withMigrationLock(databaseUrl, async () => {
    const factory = createMigrationAdapterFactory(databaseUrl);
    let engine: SchemaEngine | undefined;
    try {
      engine = await createSchemaEngine(schemaForProvider(providerOf(databaseUrl)), factory);
      return await fn(engine);
    } finally {
      engine?.free();
      await factory.close();
    }
  });
}

// A statement of its own (`BEGIN;`, `COMMIT TRANSACTION;`...), not the BEGIN/END of a trigger or function body.
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|END|START\s+TRANSACTION)(\s+(TRANSACTION|WORK))?\s*;|^\s*(SAVEPOINT|RELEASE)\b/im;
const NON_TRANSACTIONAL = /\bCONCURRENTLY\b|\bVACUUM\b/i;

/**
 * Each migration runs as one transaction (migration-adapter.ts); a file that commits on its own, or
 * uses statements PostgreSQL refuses inside a transaction, would break that promise. Refuse it up front.
 */
function assertMigrationsAtomic(migrationsList: MigrationList) {
  for (const dir of migrationsList.migrationDirectories) {
    const content = dir.migrationFile.content;
    if (content.tag === 'error') throw new MigrationError(`Migration "${dir.path}" has no migration.sql`, dir.path);
    const sql = content.value.replace(/--[^\n]*/g, '');
    if (TRANSACTION_CONTROL.test(sql) || NON_TRANSACTIONAL.test(sql)) {
      throw new MigrationError(
        `Migration "${dir.path}" controls transactions itself (BEGIN/COMMIT, CONCURRENTLY, VACUUM); ` +
          'Cohort runs each migration as one transaction. Split or rewrite it.',
        dir.path,
      );
    }
  }
}

/** Marks earlier failed migrations rolled back (they were atomic, so they are) and names them. */
async function clearFailedMigrations(
  engine: SchemaEngine,
  migrationsList: ReturnType<typeof loadMigrations>,
  log: (message: string) => void,
): Promise<string[]> {
  const diagnosis = await diagnose(engine, migrationsList);
  if (!diagnosis) return [];
  // A failed migration is meant to be fixed, so only edits to successfully applied ones count.
  const edited = diagnosis.editedMigrationNames.filter((n) => !diagnosis.failedMigrationNames.includes(n));
  if (edited.length > 0) {
    throw new MigrationError(
      `Applied migration(s) were edited afterwards: ${edited.join(', ')}. ` +
        'Restore the original files and add a new migration instead.',
      edited[0],
    );
  }
  for (const name of diagnosis.failedMigrationNames) {
    await engine.markMigrationRolledBack({ migrationName: name });
    log(`retrying migration ${name}, which failed earlier and was rolled back`);
  }
  return diagnosis.failedMigrationNames;
}

async function failedMigrationNames(engine: SchemaEngine, migrationsList: ReturnType<typeof loadMigrations>) {
  return (await diagnose(engine, migrationsList))?.failedMigrationNames ?? [];
}

async function diagnose(engine: SchemaEngine, migrationsList: ReturnType<typeof loadMigrations>) {
  // Without the bookkeeping table (a fresh database) diagnose throws P1014; there is nothing to diagnose.
  const result = await engine
    .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
    .catch((err: unknown) => {
      if (/P1014|_prisma_migrations/.test(errorText(err))) return null;
      throw err;
    });
  return result && result.hasMigrationsTable ? result : null;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
