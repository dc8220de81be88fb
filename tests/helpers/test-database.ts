import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const TEST_PG_URL = process.env.COHORT_TEST_PG_URL ?? 'postgres://cohort:cohort@127.0.0.1:5432/postgres';

export type TestDatabase = { provider: 'sqlite' | 'postgresql'; url: string; dataDir: string; drop(): Promise<void> };

/** A brand-new empty database (SQLite file or PostgreSQL database) and data directory. */
export async function createTestDatabase(provider: 'sqlite' | 'postgresql'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-test-'));
  if (provider === 'sqlite') {
    return {
      provider,
      url: `file:${path.join(dataDir, 'cohort.db')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `cohort_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`).catch((err: unknown) => {
    throw new Error(
      `PostgreSQL tests need a server at ${TEST_PG_URL} whose role may create databases ` +
        `(npm run test:all starts one; or set COHORT_TEST_PG_URL): ${(err as Error).message}`,
    );
  });
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    dataDir,
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
