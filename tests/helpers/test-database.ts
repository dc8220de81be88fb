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
      await dropDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * DROP DATABASE … WITH (FORCE) ends our own leftover connections, but a non-superuser cannot end an
 * autovacuum worker that a test's many writes woke on that database: wait for it to finish instead.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 40 || (code !== '42501' && code !== '55006')) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
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
