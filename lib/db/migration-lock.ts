import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { providerOf, sqliteFilePath } from './provider';

const PG_LOCK_KEY = 7_262_026; // arbitrary, constant: every Cohort process agrees on it
const POLL_MS = 100;
const WAIT_LIMIT_MS = 120_000;

/**
 * Runs `fn` while no other Cohort process migrates the same database: a PostgreSQL session advisory
 * lock (released by the server if we die), or for SQLite a lock directory beside the file holding
 * our pid (taken over when that pid is gone).
 */
export async function withMigrationLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  if (providerOf(databaseUrl) === 'postgresql') {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => {});
      await client.end().catch(() => {});
    }
  }
  const file = sqliteFilePath(databaseUrl);
  if (file === ':memory:') return fn();
  const lockDir = `${path.resolve(file)}.migrate-lock`;
  await acquireDirLock(lockDir);
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function acquireDirLock(lockDir: string) {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir); // atomic: exactly one process succeeds
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!isHolderAlive(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > WAIT_LIMIT_MS) {
      throw new Error(`Another process has been migrating this database for 2 minutes (lock: ${lockDir})`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function isHolderAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
  } catch {
    return true; // just created, pid not written yet
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
