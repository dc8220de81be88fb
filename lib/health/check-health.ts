import fs from 'node:fs/promises';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { listModels } from '@/lib/inference/registry';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { log } from '@/lib/log/logger';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { APP_VERSION } from '@/lib/version';
import { getBootstrapState } from '@/lib/setup/bootstrap-state';

export type ComponentHealth = { ok: boolean; latencyMs: number; error?: string } & Record<string, unknown>;
export type Health = {
  status: 'ok' | 'degraded';
  version: string;
  db: ComponentHealth;
  storage: ComponentHealth;
  models: ComponentHealth;
};

const CHECK_TIMEOUT_MS = 3_000;

/** What a load balancer or an admin needs to know: is each dependency answering, and how fast. */
export async function checkHealth(): Promise<Health> {
  const [db, storage, models] = await Promise.all([timed('db', checkDb), timed('storage', checkStorage), timed('models', checkModels)]);
  // A model that cannot run is reported, but does not take the server out of a load balancer's rotation.
  return { status: db.ok && storage.ok ? 'ok' : 'degraded', version: APP_VERSION, db, storage, models };
}

async function checkDb(): Promise<Record<string, unknown>> {
  await getDb().$queryRaw`SELECT 1`;
  const bootstrap = getBootstrapState();
  if (bootstrap.status === 'failed') throw bootstrap.error;
  return { provider: env.databaseProvider, migrations: bootstrap.status === 'ready' ? 'applied' : 'pending' };
}

async function checkStorage(): Promise<Record<string, unknown>> {
  const root = getBlobStore().root;
  await fs.mkdir(root, { recursive: true });
  await fs.access(root, fs.constants.W_OK);
  const s = await fs.statfs(root);
  return { freeBytes: s.bavail * s.bsize };
}

/** Every model in the registry can run (the reasons of those that cannot are on /models and in the log). */
async function checkModels(): Promise<Record<string, unknown>> {
  const models = await listModels();
  const invalid = models.filter((m) => m.status !== 'ready').map((m) => m.name);
  if (invalid.length) throw new Error(`models that cannot run: ${invalid.join(', ')}`);
  return { ready: models.length };
}

async function timed(name: string, check: () => Promise<Record<string, unknown>>): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...details };
  } catch (err) {
    log.warn(`health check failed: ${name}`, { err });
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Health is public: say what is wrong, not the driver's message (hosts, users); the log has it. */
function describe(err: unknown): string {
  if (isDatabaseUnavailable(err)) return 'unreachable';
  if (err instanceof Error && err.message.startsWith('no answer within')) return err.message;
  if (err instanceof Error && err.name === 'MigrationError') return 'migration failed (see server log)';
  if (err instanceof Error && err.message.startsWith('models that cannot run')) return err.message;
  return 'failing (see server log)';
}
