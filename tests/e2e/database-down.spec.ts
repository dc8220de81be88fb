import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { SignInPage } from './pages';

/**
 * A server of its own on PostgreSQL reached through a relay we can cut: the database "goes down"
 * under a running Cohort, and comes back.
 */
const PORT = 3101;
const ORIGIN = `http://localhost:${PORT}`;
const ADMIN = { email: 'admin@down.local', password: 'database-down-passphrase' };

let server: ChildProcess;
let database: TestDatabase;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let dataDir: string;
let serverLog = '';

test.beforeAll(async () => {
  database = await createTestDatabase('postgresql');
  const real = new URL(database.url);
  proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-down-'));
  server = spawn('npx', ['next', 'start', '-p', String(PORT)], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: viaProxy.toString(),
      COHORT_DATA_DIR: dataDir,
      COHORT_URL: ORIGIN,
      COHORT_ADMIN_EMAIL: ADMIN.email,
      COHORT_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the server under npx is stopped with it.
    detached: true,
  });
  server.stdout?.on('data', (d) => (serverLog += d));
  server.stderr?.on('data', (d) => (serverLog += d));
  await expect
    .poll(async () => (await fetch(`${ORIGIN}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
    .toBe(200);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  await proxy?.cut().catch(() => {});
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.use({ baseURL: ORIGIN });

test('pages and health say the database is unreachable, the server keeps running, and it recovers', async ({ page, browser }) => {
  await new SignInPage(page).signInAs(ADMIN.email, ADMIN.password);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();

  await proxy.cut();

  await page.goto('/admin');
  await expect(page.getByTestId('service-unavailable')).toContainText('can’t reach its database');
  const health = await fetch(`${ORIGIN}/api/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ status: 'degraded', db: { ok: false, error: 'unreachable' } });
  const api = await page.request.get('/api/me');
  expect(api.status()).toBe(503);

  // A visitor still gets the sign-in form, and a clear message when trying.
  const visitor = await browser.newPage({ baseURL: ORIGIN });
  const signIn = new SignInPage(visitor);
  await signIn.open();
  await signIn.signIn(ADMIN.email, ADMIN.password);
  await expect(signIn.error).toContainText('unavailable right now');
  await visitor.close();

  expect(server.exitCode, serverLog).toBeNull();

  await proxy.restore();
  await expect
    .poll(async () => (await fetch(`${ORIGIN}/api/health`)).status, { timeout: 30_000 })
    .toBe(200);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
});
