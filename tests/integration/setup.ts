/**
 * Runs before each integration test file, in that file's own process: a fresh database of the
 * project's provider (COHORT_TEST_DB), migrated by our runner, and env pointing the app at it.
 */
import { afterAll } from 'vitest';
import { createTestDatabase } from '../helpers/test-database';

const provider = process.env.COHORT_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
const database = await createTestDatabase(provider);

process.env.DATABASE_URL = database.url;
process.env.COHORT_DATA_DIR = database.dataDir;
process.env.COHORT_URL = 'http://localhost:3000';
process.env.COHORT_ADMIN_EMAIL = 'admin@test.local';
process.env.BETTER_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';

// Imported only now: lib/config/env reads process.env once, at import.
const { migrateDatabase } = await import('@/lib/db/migrate');
await migrateDatabase({ databaseUrl: database.url });

(globalThis as { __testDatabase?: typeof database }).__testDatabase = database;

afterAll(async () => {
  const { closeDb } = await import('@/lib/db/client');
  await closeDb();
  await database.drop();
});
