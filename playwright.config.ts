import { defineConfig } from '@playwright/test';

/** COHORT_E2E_PORT moves the server when 3100 is taken (another run, a quick-start server). */
export const E2E_PORT = Number(process.env.COHORT_E2E_PORT ?? 3100);
export const E2E_ADMIN = { email: 'admin@e2e.local', password: 'e2e-admin-passphrase' };
/** Where tests/e2e/viewer.spec.ts runs a JPIP server, the one the e2e server may fetch pixels from. */
export const E2E_JPIP_PORT = 3398;

/**
 * End-to-end tests against the production build (`npm run build` first), served by `next start` on a
 * fresh data directory with the demo users, in Debian's Chromium (never a downloaded browser).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -rf tests/.artifacts/e2e-data && npx next start -p ${E2E_PORT}`,
    url: `http://localhost:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      COHORT_DATA_DIR: 'tests/.artifacts/e2e-data',
      COHORT_URL: `http://localhost:${E2E_PORT}`,
      COHORT_DEMO: 'true',
      COHORT_ADMIN_EMAIL: E2E_ADMIN.email,
      COHORT_ADMIN_PASSWORD: E2E_ADMIN.password,
      // Every test signs in from 127.0.0.1; the limit itself is tested in integration tests.
      COHORT_SIGNIN_RATE_LIMIT: '200/60',
      // An OHIF Viewer "hosted elsewhere" (tests/e2e/ohif.spec.ts), reading with an access token.
      COHORT_DICOMWEB_ORIGINS: 'http://127.0.0.1:3399',
      COHORT_JPIP_ORIGINS: `http://127.0.0.1:${E2E_JPIP_PORT}`,
    },
  },
});
