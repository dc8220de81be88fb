/**
 * npm run db:migrate — applies pending migrations to DATABASE_URL (default: the SQLite file in the
 * data directory). After an interrupted run, once you have checked the schema by hand:
 *   npm run db:migrate -- --mark-applied <migration>       its changes are there
 *   npm run db:migrate -- --mark-rolled-back <migration>   they are not; it runs again next time
 */
import { env } from '../lib/config/env';
import { markMigration, migrateDatabase } from '../lib/db/migrate';

const [flag, name] = process.argv.slice(2);
try {
  if (flag === '--mark-applied' || flag === '--mark-rolled-back') {
    if (!name) throw new Error(`usage: npm run db:migrate -- ${flag} <migration name>`);
    await markMigration({ databaseUrl: env.databaseUrl, migrationName: name, as: flag === '--mark-applied' ? 'applied' : 'rolled-back' });
    console.log(`marked ${name} as ${flag.slice('--mark-'.length)}`);
  } else if (flag) {
    throw new Error(`unknown option ${flag}`);
  } else {
    const { applied } = await migrateDatabase({ databaseUrl: env.databaseUrl, log: (m) => console.log(m) });
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
