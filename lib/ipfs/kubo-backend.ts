import { CarWriter } from '@ipld/car/writer';
import { create, type KuboRPCClient } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { identity } from 'multiformats/hashes/identity';
import { AppError } from '@/lib/errors/app-error';
import { IdleDeadline, streamWithDeadline, withDeadline, type DeadlineErrors } from './idle-deadline';
import { importDirectory } from './import-directory';
import type { IpfsAddEntry, IpfsAddOptions, IpfsAddResult, IpfsBackend, IpfsCatOptions, IpfsInfo, IpfsLsEntry, IpfsReadOptions, IpfsStat } from './ipfs-backend';
import { kuboError } from './ipfs-errors';
import { openCar } from './open-car';
import { normalizeIpfsPath, parseCid } from './parse-cid';
import { verifyBlock } from './verify-block';

export type KuboBackendOptions = {
  /** Kubo's RPC API (`http://host:5001`) or an IPFS Cluster proxy (`http://host:9095`); user:password in it is sent as Basic auth. */
  url: string;
  /** How long Kubo may go without answering (ms). kubo-rpc-client's own `timeout` is never applied (7.1.0). */
  timeoutMs: number;
};

/**
 * A CAR needs its roots before its blocks, and a directory's root CID is known only after its last block:
 * the header names the empty identity CID instead and `dag/import` is told not to pin roots; the real root
 * is pinned afterwards.
 */
const PLACEHOLDER_ROOT = CID.create(1, raw.code, identity.digest(new Uint8Array()));

/**
 * IpfsBackend over Kubo's RPC API (or IPFS Cluster's proxy of it, which pins cluster-wide on `pin/add`).
 * Directories are not added with `/api/v0/add`: Cohort's own importer builds the DAG and streams its blocks
 * to `dag/import` as a CAR, so the CIDs are Cohort's whatever Kubo's version and import defaults are.
 */
export class KuboBackend implements IpfsBackend {
  readonly kind = 'kubo' as const;
  readonly #client: KuboRPCClient;
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(private readonly options: KuboBackendOptions) {
    const url = new URL(options.url);
    this.#headers = {};
    if (url.username || url.password) {
      // fetch refuses URLs carrying credentials.
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.#headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v0';
    this.#base = url.toString().replace(/\/+$/, '');
    this.#client = create({ url: this.#base, headers: this.#headers });
  }

  async addDirectory(entries: AsyncIterable<IpfsAddEntry> | Iterable<IpfsAddEntry>, options: IpfsAddOptions = {}): Promise<IpfsAddResult> {
    const result = await withDeadline(this.options.timeoutMs, options.signal, this.#errors('the directory'), async (deadline) => {
      const { writer, out } = CarWriter.create([PLACEHOLDER_ROOT]);
      // A block is handed on only when the upload has taken the previous one: backpressure from Kubo's socket.
      const store = {
        put: async (cid: CID, bytes: Uint8Array) => {
          await raceAbort(writer.put({ cid, bytes }), deadline.signal);
          deadline.touch();
          return cid;
        },
      };
      const upload = (async () => {
        for await (const _ of this.#client.dag.import(touching(out, deadline), { pinRoots: false, signal: deadline.signal })) deadline.touch();
      })();
      // Either side failing stops the other: a dead upload must not leave the importer waiting on put().
      const stopOnFailure = <T>(p: Promise<T>) =>
        p.catch((err: unknown) => {
          deadline.abort(err);
          throw err;
        });
      // Reading the caller's content is progress too: a slow source is not a silent Kubo.
      const onProgress = (bytes: number) => {
        deadline.touch();
        options.onProgress?.(bytes);
      };
      const importing = importDirectory(entries, store, { onProgress, signal: deadline.signal }).then(
        async (imported) => {
          await writer.close(); // ends the CAR, and so the upload
          return imported;
        },
        (err: unknown) => {
          void writer.close().catch(() => undefined);
          throw err;
        },
      );
      const [imported] = await Promise.all([stopOnFailure(importing), stopOnFailure(upload)]);
      return imported;
    });
    if (options.pin) await this.pin(result.cid, { signal: options.signal });
    return result;
  }

  async pin(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const key = parseCid(cid);
    await this.#call(cid, signal, (s) => this.#client.pin.add(key, { recursive: true, signal: s }));
  }

  async unpin(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const key = parseCid(cid);
    try {
      await this.#call(cid, signal, (s) => this.#client.pin.rm(key, { recursive: true, signal: s }));
    } catch (err) {
      if (!isNotPinned(err)) throw err;
    }
  }

  async isPinned(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    const key = parseCid(cid);
    try {
      return await this.#call(cid, signal, async (s) => {
        for await (const _ of this.#client.pin.ls({ paths: [key], type: 'all', signal: s })) return true;
        return false;
      });
    } catch (err) {
      if (isNotPinned(err)) return false;
      throw err;
    }
  }

  async has(cid: string, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    const key = parseCid(cid);
    try {
      await this.#call(cid, signal, (s) => this.#client.block.stat(key, { ...offline(true), signal: s }));
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return false;
      throw err;
    }
  }

  cat(cid: string, { path, offset, length, offline: local, signal }: IpfsCatOptions = {}): AsyncIterable<Uint8Array> {
    const target = ipfsPath(cid, normalizeIpfsPath(path));
    if (length === 0) return (async function* () {})();
    return streamWithDeadline(this.options.timeoutMs, signal, this.#errors(target), (s) =>
      this.#client.cat(target, { ...(offset ? { offset } : {}), ...(length !== undefined ? { length } : {}), ...offline(local), signal: s }),
    );
  }

  async stat(cid: string, path?: string, options: IpfsReadOptions = {}): Promise<IpfsStat> {
    const target = ipfsPath(cid, normalizeIpfsPath(path));
    const s = await this.#call(target, options.signal, (signal) => this.#client.files.stat(target, { ...offline(options.offline), signal }));
    const type = s.type === 'directory' ? 'directory' : 'file';
    return { cid: s.cid.toString(), type, size: type === 'file' ? s.size : 0 };
  }

  async ls(cid: string, path?: string, options: IpfsReadOptions = {}): Promise<IpfsLsEntry[]> {
    const inner = normalizeIpfsPath(path);
    const target = ipfsPath(cid, inner);
    const dir = await this.stat(cid, inner, options);
    if (dir.type !== 'directory') throw new AppError('BAD_REQUEST', `${target} is a file, not a directory.`);
    return this.#call(target, options.signal, async (signal) => {
      const entries: IpfsLsEntry[] = [];
      for await (const e of this.#client.ls(target, { ...offline(options.offline), signal })) {
        // kubo-rpc-client reports an empty directory as one nameless entry: the directory itself.
        if (!e.name) continue;
        const type = e.type === 'dir' ? 'directory' : 'file';
        entries.push({ name: e.name, cid: e.cid.toString(), type, size: type === 'file' ? e.size : 0 });
      }
      return entries;
    });
  }

  async getBlock(cid: string, options: IpfsReadOptions = {}): Promise<Uint8Array> {
    const key = parseCid(cid);
    return this.#call(cid, options.signal, (signal) => this.#client.block.get(key, { ...offline(options.offline), signal }));
  }

  exportCar(cid: string, { offline: local, signal }: IpfsReadOptions = {}): AsyncIterable<Uint8Array> {
    const key = parseCid(cid);
    // Not the client's dag.export: it sends no options, and the gateway needs `offline`.
    return streamWithDeadline(this.options.timeoutMs, signal, this.#errors(cid), (s) => this.#stream('dag/export', { arg: key.toString(), ...(local ? { offline: 'true' } : {}) }, s));
  }

  async importCar(source: AsyncIterable<Uint8Array>, { signal }: { signal?: AbortSignal } = {}): Promise<{ roots: string[]; blocks: number }> {
    const reader = await openCar(source);
    const roots = await reader.getRoots();
    let blocks = 0;
    let invalid: unknown;
    // Re-encoded rather than passed through, so every block is checked here exactly as the Helia backend does.
    async function* checked(): AsyncGenerator<Uint8Array> {
      const { writer, out } = CarWriter.create(roots.length ? roots : [PLACEHOLDER_ROOT]);
      const writing = (async () => {
        try {
          for await (const block of reader) {
            await verifyBlock(block.cid, block.bytes);
            await writer.put(block);
            blocks++;
          }
        } finally {
          await writer.close();
        }
      })();
      writing.catch(() => undefined); // awaited below; a rejection before then is not unhandled
      try {
        yield* out;
        await writing;
      } catch (err) {
        // The client swallows a failing body (it just aborts the request): keep the reason for the caller.
        invalid = err;
        throw err;
      }
    }
    try {
      await withDeadline(this.options.timeoutMs, signal, this.#errors('the CAR'), async (deadline) => {
        for await (const _ of this.#client.dag.import(touching(checked(), deadline), { pinRoots: false, signal: deadline.signal })) deadline.touch();
      });
    } catch (err) {
      throw invalid ?? err;
    }
    return { roots: roots.map(String), blocks };
  }

  async info({ signal }: { signal?: AbortSignal } = {}): Promise<IpfsInfo> {
    const id = await this.#call('the node', signal, (s) => this.#client.id({ signal: s }));
    return { backend: 'kubo', peerId: id.id.toString(), multiaddrs: (id.addresses ?? []).map(String) };
  }

  async stop(): Promise<void> {
    // Nothing held open: kubo-rpc-client makes one request per call.
  }

  #call<T>(what: string, signal: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withDeadline(this.options.timeoutMs, signal, this.#errors(what), (deadline) => fn(deadline.signal));
  }

  async *#stream(command: string, params: Record<string, string>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
    const res = await fetch(`${this.#base}/${command}?${new URLSearchParams(params)}`, { method: 'POST', headers: this.#headers, signal });
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let message = text;
      try {
        message = (JSON.parse(text) as { Message?: string }).Message ?? text;
      } catch {
        // not JSON
      }
      throw Object.assign(new Error(message || `HTTP ${res.status}`), { name: 'HTTPError', response: { status: res.status } });
    }
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
  }

  #errors(what: string): DeadlineErrors {
    return {
      expired: () => new AppError('SERVICE_UNAVAILABLE', `The IPFS node (Kubo RPC API) did not answer within ${this.options.timeoutMs} ms.`),
      map: (err) => kuboError(err, what),
    };
  }
}

export function createKuboBackend(options: KuboBackendOptions): KuboBackend {
  return new KuboBackend(options);
}

function ipfsPath(cid: string, path: string): string {
  return `/ipfs/${parseCid(cid).toString()}${path ? `/${path}` : ''}`;
}

/** Kubo's global `--offline` flag, per request: answer from the local repository only. The client's types omit it. */
function offline(value: boolean | undefined): object {
  return value ? { offline: true } : {};
}

function isNotPinned(err: unknown): boolean {
  const message = err instanceof AppError || err instanceof Error ? err.message : '';
  return /not pinned/i.test(message) || (err instanceof AppError && err.code === 'NOT_FOUND');
}

/** Counts every chunk the upload takes as progress. */
async function* touching(source: AsyncIterable<Uint8Array>, deadline: IdleDeadline): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    deadline.touch();
    yield chunk;
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
