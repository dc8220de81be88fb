// First import: Helia and libp2p need Promise.withResolvers, which Node 20 lacks.
import './promise-with-resolvers';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHelia } from 'helia';
import { AppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';
import { HeliaBackend, type HeliaNode } from './helia-backend';
import { lockRepo } from './repo-lock';

export type HeliaNodeOptions = {
  /** The repository: blocks in `blocks/`, pins and the node's key in `datastore/`. */
  dir: string;
  /** libp2p listen multiaddrs (TCP). Loopback by default: peers elsewhere need an address they can reach. */
  listen: string[];
  /** How long a network operation may go without progress (ms). */
  timeoutMs: number;
  /** Peers to connect to once started (multiaddrs ending in /p2p/<peer id>). */
  peers?: string[];
};

/**
 * Starts a Helia node on an on-disk repository, reachable only by peers that dial it: TCP + Noise + Yamux,
 * identify, bitswap; no DHT, no bootstrap list, no mDNS, no delegated routers, no HTTP gateways, so it never
 * contacts anyone on its own. Its peer id (key kept in the datastore) survives restarts.
 */
export async function createHeliaBackend({ dir, listen, timeoutMs, peers = [] }: HeliaNodeOptions, cleanup?: () => Promise<void>): Promise<HeliaBackend> {
  for (const address of listen) {
    try {
      multiaddr(address);
    } catch {
      throw new Error(`COHORT_IPFS_LISTEN: "${address}" is not a multiaddr (e.g. /ip4/127.0.0.1/tcp/4001).`);
    }
  }
  await fs.mkdir(dir, { recursive: true });
  const release = lockRepo(dir);
  const blockstore = new FsBlockstore(path.join(dir, 'blocks'));
  const datastore = new FsDatastore(path.join(dir, 'datastore'));
  let helia: HeliaNode | undefined;
  const closeStores = async () => {
    await blockstore.close().catch(() => undefined);
    await datastore.close().catch(() => undefined);
    release();
    await cleanup?.();
  };
  try {
    await blockstore.open();
    await datastore.open();
    helia = createHelia({
      blockstore,
      datastore,
      routers: [],
      http: { delegatedRouters: [], recursiveGateways: [] },
      libp2p: {
        addresses: { listen, announce: [] },
        transports: [tcp()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        peerDiscovery: [],
        services: { identify: identify() },
      },
    }) as unknown as HeliaNode;
    await helia.start();
  } catch (err) {
    await helia?.stop().catch(() => undefined);
    await closeStores();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      log.error('IPFS listen address in use', { listen, err });
      throw new AppError('SERVICE_UNAVAILABLE', 'The IPFS node cannot listen: its address (COHORT_IPFS_LISTEN) is in use.');
    }
    throw err;
  }
  const backend = new HeliaBackend(helia, { timeoutMs, onStop: closeStores });
  try {
    for (const peer of peers) await backend.dial(peer);
  } catch (err) {
    await backend.stop();
    throw err;
  }
  return backend;
}

export type TemporaryHeliaNodeOptions = Partial<Omit<HeliaNodeOptions, 'timeoutMs'>> & { timeoutMs: number };

/**
 * A separate, throw-away node (the CLI's `pull`, tests): its own repository in a temporary directory (or
 * `dir`), removed on `stop()` unless `dir` was given; connected to `peers` before it is returned.
 */
export async function createTemporaryHeliaNode({ dir, listen = ['/ip4/127.0.0.1/tcp/0'], timeoutMs, peers = [] }: TemporaryHeliaNodeOptions): Promise<HeliaBackend> {
  const repo = dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cohort-ipfs-')));
  const remove = dir ? undefined : () => fs.rm(repo, { recursive: true, force: true });
  try {
    return await createHeliaBackend({ dir: repo, listen, timeoutMs, peers }, remove);
  } catch (err) {
    await remove?.();
    throw err;
  }
}
