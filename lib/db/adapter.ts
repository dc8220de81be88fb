import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '@/lib/config/env';
import { log } from '@/lib/log/logger';
import { providerOf, sqliteFilePath } from './provider';
import { serializeSqliteAdapter } from './serialized-sqlite';

/** How long a SQLite writer waits for another writer's lock before failing (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function createSqliteAdapter(databaseUrl: string) {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaBetterSqlite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS });
}

export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client whose server went away emits 'error'; unhandled, it would crash the process.
  pool.on('error', (err) => log.warn('PostgreSQL connection lost', { err: err.message }));
  return pool;
}

export function createPgAdapter(pool: pg.Pool) {
  return new PrismaPg(pool, {
    onPoolError: (err) => log.warn('PostgreSQL pool error', { err: err.message }),
    onConnectionError: (err) => log.warn('PostgreSQL connection error', { err: err.message }),
  });
}

/**
 * SQLite durability per connection. In WAL mode NORMAL keeps the database consistent through any
 * crash and never loses a commit when Cohort itself dies; only an OS crash or power cut may undo the
 * last commits (all of a transaction or none of it). It spares an fsync per commit (0.7 ms here).
 * Signing a ledger checkpoint first forces everything to disk (lib/ledger/create-checkpoint.ts).
 */
const SQLITE_CONNECTION_PRAGMAS = `PRAGMA synchronous = ${env.COHORT_SQLITE_SYNCHRONOUS}`;

/** The application's adapter: SQLite serialized around transactions (see serialized-sqlite.ts), or pg. */
export function createAdapter(databaseUrl: string) {
  return providerOf(databaseUrl) === 'sqlite'
    ? serializeSqliteAdapter(createSqliteAdapter(databaseUrl), SQLITE_CONNECTION_PRAGMAS)
    : createPgAdapter(createPgPool(databaseUrl));
}
