import { env } from '@/lib/config/env';
import type { IpfsBackend } from './ipfs-backend';

type IpfsGlobals = {
  __cohortIpfs?: Promise<IpfsBackend>;
  __cohortIpfsReady?: IpfsBackend;
  __cohortIpfsError?: unknown;
};
const globalForIpfs = globalThis as typeof globalThis & IpfsGlobals;

/**
 * The installation's IPFS node, chosen by COHORT_IPFS: started on first use (never at import: Next's build
 * workers import modules too) and cached on globalThis, so dev hot reloads reuse one node instead of
 * starting another on the same repository. A start that failed is forgotten, so the next call retries.
 */
export function getIpfs(): Promise<IpfsBackend> {
  globalForIpfs.__cohortIpfs ??= startIpfs().then(
    (ipfs) => {
      globalForIpfs.__cohortIpfsReady = ipfs;
      globalForIpfs.__cohortIpfsError = undefined;
      return ipfs;
    },
    (err: unknown) => {
      globalForIpfs.__cohortIpfs = undefined;
      globalForIpfs.__cohortIpfsError = err;
      throw err;
    },
  );
  return globalForIpfs.__cohortIpfs;
}

export type IpfsState =
  | { status: 'stopped' }
  | { status: 'starting' }
  | { status: 'ready'; ipfs: IpfsBackend }
  | { status: 'failed'; error: unknown };

/** Where the node is, without waiting for it (health: loading Helia's modules alone takes a second or two). */
export function getIpfsState(): IpfsState {
  if (globalForIpfs.__cohortIpfsReady) return { status: 'ready', ipfs: globalForIpfs.__cohortIpfsReady };
  if (globalForIpfs.__cohortIpfs) return { status: 'starting' };
  if (globalForIpfs.__cohortIpfsError !== undefined) return { status: 'failed', error: globalForIpfs.__cohortIpfsError };
  return { status: 'stopped' };
}

/** Stops the node if one was started (tests, shutdown); the next getIpfs() starts a new one. */
export async function stopIpfs(): Promise<void> {
  const started = globalForIpfs.__cohortIpfs;
  globalForIpfs.__cohortIpfs = undefined;
  globalForIpfs.__cohortIpfsReady = undefined;
  globalForIpfs.__cohortIpfsError = undefined;
  const ipfs = await started?.catch(() => undefined);
  await ipfs?.stop();
}

async function startIpfs(): Promise<IpfsBackend> {
  if (env.COHORT_IPFS === 'kubo') {
    const { createKuboBackend } = await import('./kubo-backend');
    return createKuboBackend({ url: env.COHORT_KUBO_RPC_URL, timeoutMs: env.COHORT_IPFS_TIMEOUT_MS });
  }
  // Loaded only here: Helia and libp2p are heavy, and a Kubo installation never needs them.
  const { createHeliaBackend } = await import('./create-helia-node');
  return createHeliaBackend({ dir: env.ipfsDir, listen: env.ipfsListen, timeoutMs: env.COHORT_IPFS_TIMEOUT_MS });
}
