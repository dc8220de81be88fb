/** Applies pending migrations to DATABASE_URL (default: the SQLite file in the data directory). */
import { env } from '../lib/config/env';
import { migrateDatabase } from '../lib/db/migrate';

try {
  const { applied } = await migrateDatabase({ databaseUrl: env.databaseUrl, log: (m) => console.log(m) });
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
