import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { log } from '@/lib/log/logger';
import { env } from './env';

const ZSecretsFile = z.object({ authSecret: z.string().min(32) });
type Secrets = z.infer<typeof ZSecretsFile>;

const SECRETS_FILE = 'secrets.json';

/**
 * Secrets from env, or generated once into `<dataDir>/secrets.json` (mode 0600) for local use so a fresh
 * install is safe without configuration and nothing secret is ever committed.
 */
export function getSecrets(dataDir: string = env.dataDir): Secrets {
  if (env.BETTER_AUTH_SECRET) return { authSecret: env.BETTER_AUTH_SECRET };
  if (env.databaseProvider === 'postgresql') {
    // Several web processes usually share a PostgreSQL database; each would generate its own secret
    // and reject the others' session cookies.
    log.warn('BETTER_AUTH_SECRET is not set: using the secret generated in the data directory. Set it, identically, for every Cohort process sharing this database.');
  }
  const file = path.join(dataDir, SECRETS_FILE);
  const existing = readSecretsFile(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const generated: Secrets = { authSecret: randomBytes(32).toString('base64url') };
  try {
    // 'wx' fails if another process created it first; then theirs wins and we read it.
    writeFileSync(file, JSON.stringify(generated, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = readSecretsFile(file);
    if (!raced) throw new Error(`${file} exists but is not a valid secrets file`, { cause: err });
    return raced;
  }
}

function readSecretsFile(file: string): Secrets | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = ZSecretsFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid secrets file; delete it to regenerate`);
  return parsed.data;
}
