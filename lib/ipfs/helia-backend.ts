import './promise-with-resolvers';
import { car } from '@helia/car';
import { unixfs, type UnixFS } from '@helia/unixfs';
import { multiaddr } from '@multiformats/multiaddr';
import type { GraphWalkerFactory, Helia } from 'helia';
import type { CID } from 'multiformats/cid';
import { AppError } from '@/lib/errors/app-error';
import { verifyBlock } from './verify-block';
import { streamWithDeadline, withDeadline, type DeadlineErrors } from './idle-deadline';
import { importDirectory } from './import-directory';
import { localDagWalker } from './local-dag-walker';
import type { IpfsAddEntry, IpfsAddOptions, IpfsAddResult, IpfsBackend, IpfsCatOptions, IpfsInfo, IpfsLsEntry, IpfsReadOptions, IpfsStat } from './ipfs-backend';
import { heliaError } from './ipfs-errors';
import { openCar } from './open-car';
import { normalizeIpfsPath, parseCid } from './parse-cid';

/** The parts of a started Helia node (with libp2p) the backend uses. */
export type HeliaNode = Helia & {
  libp2p: {
    peerId: { toString(): string };
    getMultiaddrs(): { toString(): string }[];
    dial(target: ReturnType<typeof multiaddr>, options?: { signal?: AbortSignal }): Promise<unknown>;
  };
};

export type HeliaBackendOptions = {
  /** How long a read may wait on peers without progress (ms). */
  timeoutMs: number;
  /** Runs after the node stopped: close the stores, release the repository lock, remove a temporary directory. */
  onStop?: () => Promise<void> | void;
};

/**
 * IpfsBackend over an embedded Helia node. Reads not marked offline may fetch missing blocks over bitswap
 * from connected peers; an idle deadline turns "no peer has it" (Helia would wait forever) into BAD_GATEWAY.
 */
export class HeliaBackend implements IpfsBackend {
  readonly kind = 'helia' as const;
  readonly #fs: UnixFS;
  #stopped: Promise<void> | undefined;

  constructor(
    readonly helia: HeliaNode,
    private readonly options: HeliaBackendOptions,
  ) {
    this.#fs = unixfs(helia);
  }

  get peerId(): string {
    return this.helia.libp2p.peerId.toString();
  }

  /** Connects to a peer (a multiaddr ending in /p2p/<peer id>) so bitswap can fetch from it. */
  async dial(address: string, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    let target: ReturnType<typeof multiaddr>;
    try {
      target = multiaddr(address);
    } catch {
      throw new AppError('BAD_REQUEST', `"${address.slice(0, 120)}" is not a multiaddr.`);
    }
    await withDeadline(this.options.timeoutMs, signal, {
      expired: () => new AppError('BAD_GATEWAY', `The IPFS peer did not answer within ${this.options.timeoutMs} ms.`),
      map: (err) => new AppError('BAD_GATEWAY', `The IPFS peer could not be reached: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`),
    }, (deadline) => this.helia.libp2p.dial(target, { signal: deadline.signal }));
  }

  async addDirectory(entries: AsyncIterable<IpfsAddEntry> | Iterable<IpfsAddEntry>, options: IpfsAddOptions = {}): Promise<IpfsAddResult> {
    // Local disk only: no deadline, the caller's signal stops it.
    const result = await importDirectory(entries, this.helia.blockstore, options);
    // Every block was just stored here: the pin need not read the leaves back.
    if (options.pin) await this.#pin(result.cid, { signal: options.signal, walker: localDagWalker({ requireLeaves: true }) });
    return result;
  }

  async pin(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#pin(cid, { signal });
  }

  async #pin(cid: string, { signal, walker }: { signal?: AbortSignal; walker?: GraphWalkerFactory }): Promise<void> {
    const root = parseCid(cid);
    await withDeadline(this.options.timeoutMs, signal, this.#errors(cid), async (deadline) => {
      try {
        for await (const _ of this.helia.pins.add(root, { signal: deadline.signal, ...(walker ? { walker } : {}) })) deadline.touch();
      } catch (err) {
        if ((err as Error).name !== 'AlreadyPinnedError') throw err;
      }
    });
  }

  async unpin(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const root = parseCid(cid);
    try {
      // What is unpinned was pinned here, so its blocks are here: the leaves need not be read.
      for await (const _ of this.helia.pins.rm(root, { signal, walker: localDagWalker({ requireLeaves: false }) })) signal?.throwIfAborted();
    } catch (err) {
      // Helia says NotFoundError (the pin's datastore key) for a CID that was never pinned.
      if ((err as Error).name !== 'NotFoundError') throw heliaError(err, cid);
    }
  }

  async isPinned(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    return this.helia.pins.isPinned(parseCid(cid), { signal });
  }

  async has(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    return this.helia.blockstore.has(parseCid(cid), { signal });
  }

  cat(cid: string, { path, offset, length, offline, signal }: IpfsCatOptions = {}): AsyncIterable<Uint8Array> {
    const root = parseCid(cid);
    const inner = normalizeIpfsPath(path);
    if (length === 0) return (async function* () {})();
    return streamWithDeadline(this.options.timeoutMs, signal, this.#errors(join(cid, inner)), (s) =>
      this.#fs.cat(root, { ...(inner ? { path: inner } : {}), offset, length, offline, signal: s }),
    );
  }

  async stat(cid: string, path?: string, options: IpfsReadOptions = {}): Promise<IpfsStat> {
    const root = parseCid(cid);
    const inner = normalizeIpfsPath(path);
    return withDeadline(this.options.timeoutMs, options.signal, this.#errors(join(cid, inner)), (deadline) =>
      this.#statOf(root, inner, options.offline, deadline.signal),
    );
  }

  async ls(cid: string, path?: string, options: IpfsReadOptions = {}): Promise<IpfsLsEntry[]> {
    const root = parseCid(cid);
    const inner = normalizeIpfsPath(path);
    return withDeadline(this.options.timeoutMs, options.signal, this.#errors(join(cid, inner)), async (deadline) => {
      const dir = await this.#statOf(root, inner, options.offline, deadline.signal);
      if (dir.type !== 'directory') throw new AppError('BAD_REQUEST', `${join(cid, inner)} is a file, not a directory.`);
      const entries: IpfsLsEntry[] = [];
      for await (const entry of this.#fs.ls(root, { ...(inner ? { path: inner } : {}), offline: options.offline, signal: deadline.signal })) {
        deadline.touch();
        // A link's size is its DAG's size; the file's own length and the entry's type are in its root block.
        entries.push({ name: entry.name, ...(await this.#statOf(entry.cid, '', options.offline, deadline.signal)) });
      }
      return entries;
    });
  }

  async getBlock(cid: string, options: IpfsReadOptions = {}): Promise<Uint8Array> {
    const key = parseCid(cid);
    return withDeadline(this.options.timeoutMs, options.signal, this.#errors(cid), async (deadline) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of this.helia.blockstore.get(key, { offline: options.offline, signal: deadline.signal })) chunks.push(chunk);
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    });
  }

  exportCar(cid: string, { offline, signal }: IpfsReadOptions = {}): AsyncIterable<Uint8Array> {
    const root = parseCid(cid);
    return streamWithDeadline(this.options.timeoutMs, signal, this.#errors(cid), (s) => car(this.helia).export(root, { offline, signal: s }));
  }

  async importCar(source: AsyncIterable<Uint8Array>, { signal }: { signal?: AbortSignal } = {}): Promise<{ roots: string[]; blocks: number }> {
    const reader = await openCar(source);
    let blocks = 0;
    for await (const { cid, bytes } of reader) {
      signal?.throwIfAborted();
      await verifyBlock(cid, bytes);
      await this.helia.blockstore.put(cid, bytes, { signal });
      blocks++;
    }
    return { roots: (await reader.getRoots()).map(String), blocks };
  }

  async info(): Promise<IpfsInfo> {
    return { backend: 'helia', peerId: this.peerId, multiaddrs: this.helia.libp2p.getMultiaddrs().map(String) };
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      try {
        await this.helia.stop();
      } finally {
        await this.options.onStop?.();
      }
    })();
    return this.#stopped;
  }

  async #statOf(cid: CID, path: string, offline: boolean | undefined, signal: AbortSignal): Promise<IpfsStat> {
    const s = await this.#fs.stat(cid, { ...(path ? { path } : {}), offline, signal });
    const type = s.type === 'directory' ? 'directory' : 'file';
    return { cid: s.cid.toString(), type, size: type === 'file' ? Number(s.size) : 0 };
  }

  #errors(what: string): DeadlineErrors {
    return {
      expired: () => new AppError('BAD_GATEWAY', `No connected IPFS peer provided ${what} within ${this.options.timeoutMs} ms.`),
      map: (err) => heliaError(err, what),
    };
  }
}

function join(cid: string, path: string): string {
  return path ? `${cid}/${path}` : cid;
}
