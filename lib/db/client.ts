import { env } from '@/lib/config/env';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgresql/client';
import { createAdapter } from './adapter';
import { providerOf } from './provider';

export type { AccessToken, LedgerCheckpoint, Prisma, ShareLink } from './generated/sqlite/client';

/**
 * The Prisma client. Both generated clients come from one schema and expose the same API, so the
 * application is typed against the SQLite one; PostgreSQL-only query features are not used.
 */
export type Db = SqliteClient;
/** The client handed to `db.$transaction(async (tx) => ...)` callbacks. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function createDb(databaseUrl: string): Db {
  const adapter = createAdapter(databaseUrl);
  return providerOf(databaseUrl) === 'sqlite'
    ? new SqliteClient({ adapter })
    : (new PostgresClient({ adapter }) as unknown as Db);
}

const globalForDb = globalThis as typeof globalThis & { __cohortDb?: Db };

/**
 * The process-wide client, created on first use (never at import: Next's build workers import
 * modules too) and kept on globalThis so dev hot reloads reuse one connection pool.
 */
export function getDb(): Db {
  globalForDb.__cohortDb ??= createDb(env.databaseUrl);
  return globalForDb.__cohortDb;
}

export async function closeDb(): Promise<void> {
  const db = globalForDb.__cohortDb;
  globalForDb.__cohortDb = undefined;
  await db?.$disconnect();
}
