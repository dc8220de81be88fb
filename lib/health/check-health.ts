import fs from 'node:fs/promises';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { listModels } from '@/lib/inference/registry';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { log } from '@/lib/log/logger';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { checkVideoDecoder, VIDEO_DECODER_MISSING } from '@/lib/dicom/codecs/decode-video';
import { isAppError } from '@/lib/errors/app-error';
import { getIpfs, getIpfsState } from '@/lib/ipfs/get-ipfs';
import { APP_VERSION } from '@/lib/version';
import { getBootstrapState } from '@/lib/setup/bootstrap-state';

export type ComponentHealth = { ok: boolean; latencyMs: number; error?: string } & Record<string, unknown>;
export type Health = {
  status: 'ok' | 'degraded';
  version: string;
  db: ComponentHealth;
  storage: ComponentHealth;
  models: ComponentHealth;
  ipfs: ComponentHealth;
  video: ComponentHealth;
};

const CHECK_TIMEOUT_MS = 3_000;

/** What a load balancer or an admin needs to know: is each dependency answering, and how fast. */
export async function checkHealth(): Promise<Health> {
  const [db, storage, models, ipfs, video] = await Promise.all([
    timed('db', checkDb),
    timed('storage', checkStorage),
    timed('models', checkModels),
    timed('ipfs', checkIpfs),
    timed('video', async () => (await checkVideoDecoder(), { decoder: 'ffmpeg' })),
  ]);
  // A model that cannot run, an IPFS node that is down or no video decoder is reported but does not take the
  // server out of a load balancer's rotation: studies, labels and consent work without them.
  return { status: db.ok && storage.ok ? 'ok' : 'degraded', version: APP_VERSION, db, storage, models, ipfs, video };
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

/** How long health waits for an IPFS node it just started; after that it says "starting". */
const IPFS_START_WAIT_MS = 1_000;

/**
 * The IPFS node answers. Health starts the node if nothing has yet (a check that never looked would call a
 * broken configuration healthy) but does not wait for a cold start: loading Helia's modules alone takes a
 * second or two, so until it is up the answer is `state: "starting"`, and a failed start is reported.
 */
async function checkIpfs(): Promise<Record<string, unknown>> {
  const started = getIpfs().catch(() => undefined); // a failure is read from the state below
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([started, new Promise((resolve) => (timer = setTimeout(resolve, IPFS_START_WAIT_MS)))]);
  clearTimeout(timer);
  const state = getIpfsState();
  if (state.status === 'failed') throw state.error;
  if (state.status !== 'ready') return { backend: env.COHORT_IPFS, state: 'starting' };
  const info = await state.ipfs.info();
  // Not its multiaddrs: health is public, and they name hosts and ports.
  return { backend: info.backend, state: 'ready', peerId: info.peerId };
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
  if (err instanceof Error && (err.message.startsWith('models that cannot run') || err.message === VIDEO_DECODER_MISSING)) return err.message;
  // lib/ipfs words these for clients: they say what is wrong (unreachable, timed out, in use), not where.
  if (isAppError(err, 'SERVICE_UNAVAILABLE') || isAppError(err, 'BAD_GATEWAY')) return err.message;
  return 'failing (see server log)';
}
