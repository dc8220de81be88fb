import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from '@/lib/log/logger';
import { env } from './env';

/**
 * A secret from the environment, or generated once into `<dataDir>/secrets/<name>` (mode 0600) so a
 * fresh install is safe without configuration and nothing secret is ever committed. Concurrent first
 * starts agree: the file is created exclusively and whoever loses the race reads the winner's.
 */
export function generatedSecret(
  name: string,
  create: () => string,
  { fromEnv, dataDir = env.dataDir }: { fromEnv?: string | undefined; dataDir?: string } = {},
): string {
  if (fromEnv) return fromEnv;
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  const existing = readSecret(file);
  if (existing !== null) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = create();
  try {
    writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readSecret(file) ?? value;
  }
}

function readSecret(file: string): string | null {
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (!value) throw new Error(`${file} is empty; delete it to generate a new secret`);
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const randomSecret = () => randomBytes(32).toString('base64url');

/** Signs session cookies. */
export function getAuthSecret(dataDir?: string): string {
  if (!env.BETTER_AUTH_SECRET && env.databaseProvider === 'postgresql') {
    // Several web processes usually share a PostgreSQL database; each would generate its own secret
    // and reject the others' session cookies.
    log.warn('BETTER_AUTH_SECRET is not set: using the secret generated in the data directory. Set it, identically, for every Cohort process sharing this database.');
  }
  return generatedSecret('auth-secret', randomSecret, { fromEnv: env.BETTER_AUTH_SECRET, ...(dataDir ? { dataDir } : {}) });
}

/** Keys the pseudonyms that stand for people in the ledger (lib/ledger/pseudonym.ts). Never rotate it. */
export function getPseudonymKey(dataDir?: string): string {
  return generatedSecret('pseudonym-key', randomSecret, { fromEnv: env.COHORT_PSEUDONYM_KEY, ...(dataDir ? { dataDir } : {}) });
}
