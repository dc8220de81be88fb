import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqliteFilePath } from './provider';

const PG_LOCK_KEY = 7_262_026; // arbitrary, constant: every Cohort process agrees on it
const WAIT_LIMIT_MS = 120_000;
const POLL_MS = 100;

/**
 * Runs `fn` while no other Cohort process migrates the same database. Both locks are released by
 * the operating system or the server if the holder dies, so a crash never leaves a stale lock:
 * PostgreSQL: a session advisory lock. SQLite: an exclusive lock on `<db>.migrate.lock`, a small
 * SQLite file used only for this.
 */
export async function withMigrationLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  if (providerOf(databaseUrl) === 'postgresql') return withAdvisoryLock(databaseUrl, fn);
  const file = sqliteFilePath(databaseUrl);
  if (file === ':memory:') return fn();
  return withSqliteLockFile(`${path.resolve(file)}.migrate.lock`, fn);
}

async function withAdvisoryLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${WAIT_LIMIT_MS}`);
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]).catch((err: { code?: string }) => {
      if (err.code === '55P03') throw new Error('Another process has been migrating this database for 2 minutes; giving up.');
      throw err;
    });
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

async function withSqliteLockFile<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  // timeout 0: never block the event loop waiting; poll instead (the holder may be in this process).
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    const started = Date.now();
    for (;;) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        if (Date.now() - started > WAIT_LIMIT_MS) {
          throw new Error(`Another process has been migrating this database for 2 minutes (lock: ${lockFile}); giving up.`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    try {
      return await fn();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}
