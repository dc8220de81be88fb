import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/config/env';

describe('parseEnv', () => {
  it('refuses a database URL of an unknown kind with a readable message', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/file: \(SQLite\) or postgres/);
  });

  it('refuses a short auth secret and a malformed rate limit', () => {
    expect(() => parseEnv({ BETTER_AUTH_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => parseEnv({ COHORT_SIGNIN_RATE_LIMIT: 'ten' })).toThrow(/<max>\/<seconds>/);
  });

  it('defaults to SQLite under the data directory on localhost:3000', () => {
    const env = parseEnv({});
    expect(env.dataDir).toBe(path.resolve('data'));
    expect(env.databaseUrl).toBe(`file:${path.resolve('data', 'cohort.db')}`);
    expect(env.databaseProvider).toBe('sqlite');
    expect(env.appUrl).toBe('http://localhost:3000');
    expect(env.COHORT_DEMO).toBe(false);
    expect(env.COHORT_SIGNIN_RATE_LIMIT).toEqual({ max: 10, window: 60 });
  });

  it('selects PostgreSQL from a postgres:// URL and parses lists and flags', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgresql://u:p@db:5432/cohort',
      COHORT_URL: 'https://cohort.example.org/',
      COHORT_TRUSTED_PROXIES: '10.0.0.1, 10.0.1.0/24',
      COHORT_DEMO: 'yes',
      PORT: '8080',
    });
    expect(env.databaseProvider).toBe('postgresql');
    expect(env.appUrl).toBe('https://cohort.example.org');
    expect(env.trustedProxies).toEqual(['10.0.0.1', '10.0.1.0/24']);
    expect(env.COHORT_DEMO).toBe(true);
    expect(env.PORT).toBe(8080);
  });
});
