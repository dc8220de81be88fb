/**
 * npm run setup — makes a fresh checkout ready to run: database migrated, first admin created (its
 * password printed once), demo users seeded, production build made. Idempotent.
 *   --no-demo   skip the demo users        --no-build   skip `next build`
 */
import { spawnSync } from 'node:child_process';
import { bootstrap, formatBootstrapReport } from '../lib/setup/bootstrap';
import { closeDb } from '../lib/db/client';

const args = new Set(process.argv.slice(2));

const report = await bootstrap({ demo: !args.has('--no-demo') });
await closeDb();
console.log(formatBootstrapReport(report) ?? 'Cohort is already set up: database migrated, admin present.');

if (!args.has('--no-build')) {
  console.log('\nBuilding the web app (next build --webpack)…');
  const build = spawnSync('npx', ['next', 'build', '--webpack'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log('\nReady. Start Cohort with: npm start  (then open http://localhost:3000)');
}
