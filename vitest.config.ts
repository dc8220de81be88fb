import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // Next resolves 'server-only' to an empty module on the server; tests run server code directly.
      { find: /^server-only$/, replacement: `${root}/tests/helpers/empty-module.ts` },
    ],
  },
  test: {
    pool: 'forks',
    // Each test file gets its own process: its own env, database and module state.
    isolate: true,
    // CI has 2 cores; PostgreSQL files each create a database, so more workers thrash rather than help.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NEXT_TELEMETRY_DISABLED: '1', ORT_DISABLE_TELEMETRY: '1', COHORT_LOG_LEVEL: 'silent' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      ...(['sqlite', 'postgresql'] as const).map((provider) => ({
        extends: true as const,
        test: {
          name: `integration:${provider}`,
          include: ['tests/integration/**/*.test.ts'],
          setupFiles: ['tests/integration/setup.ts'],
          env: { COHORT_TEST_DB: provider },
        },
      })),
    ],
  },
});
