/**
 * Fails when prisma/schema.prisma has changes no migration captures, for either provider.
 * PostgreSQL is checked when COHORT_MIGRATIONS_PG_URL (or a postgres DATABASE_URL) is reachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffMigrationsToSchema } from '../lib/db/schema-diff';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'cohort-check-'));
const targets = [`file:${path.join(scratch, 'check.db')}`];
const pgUrl = process.env.COHORT_MIGRATIONS_PG_URL;
if (pgUrl) targets.push(pgUrl);
let drift = false;
try {
  for (const databaseUrl of targets) {
    const sql = await diffMigrationsToSchema({ databaseUrl });
    const provider = databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql';
    if (sql) {
      drift = true;
      console.error(`${provider}: schema.prisma has changes without a migration:\n${sql}`);
    } else console.log(`${provider}: migrations match schema.prisma`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (!pgUrl) console.log('postgresql: not checked (set COHORT_MIGRATIONS_PG_URL)');
process.exit(drift ? 1 : 0);
