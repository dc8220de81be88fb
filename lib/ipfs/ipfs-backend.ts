/**
 * The one IPFS interface the rest of Cohort uses (publishing, the gateway, the CLI, health). Two backends
 * implement it: the embedded Helia node (lib/ipfs/helia-backend.ts, the default) and an external Kubo or
 * IPFS Cluster proxy over its RPC API (lib/ipfs/kubo-backend.ts). Both build every DAG with the same
 * importer and settings (lib/ipfs/unixfs-profile.ts), so the same content has the same CIDs on either.
 *
 * CIDs cross this interface as strings (base32 CIDv1 as produced here; CIDv0 accepted on input): callers
 * never handle a `CID` object of some bundle's own copy of multiformats.
 */

export type IpfsBackendKind = 'helia' | 'kubo';

/**
 * One file of a directory to add. `path` is relative ("series-1/0001.dcm"): no leading slash, no "." or
 * ".." segments; parent directories are created. `content` is read once, as a stream; the importer reads
 * up to a few files at a time, so each entry's content must be readable independently of the others.
 */
export type IpfsAddEntry = { path: string; content: Uint8Array | AsyncIterable<Uint8Array> };

export type IpfsAddOptions = {
  /** Called as content is read, with the total number of file bytes added so far. */
  onProgress?: (bytesAdded: number) => void;
  signal?: AbortSignal;
  /** Pin the root once every block is stored (what publishing wants; Kubo may garbage-collect unpinned blocks). */
  pin?: boolean;
};

export type IpfsAddedFile = { path: string; cid: string; size: number };
export type IpfsAddResult = { cid: string; files: IpfsAddedFile[] };

export type IpfsReadOptions = {
  signal?: AbortSignal;
  /** Only blocks already stored locally: fail (NOT_FOUND) rather than ask peers. The gateway reads this way. */
  offline?: boolean;
};

export type IpfsCatOptions = IpfsReadOptions & { path?: string; offset?: number; length?: number };

/** `size`: a file's length in bytes; 0 for a directory (its total is not in its root block). */
export type IpfsStat = { cid: string; type: 'file' | 'directory'; size: number };
export type IpfsLsEntry = IpfsStat & { name: string };

export type IpfsInfo = { backend: IpfsBackendKind; peerId?: string; multiaddrs: string[] };

export interface IpfsBackend {
  readonly kind: IpfsBackendKind;
  /** Adds the entries as one UnixFS directory (CIDv1, raw leaves, 1 MiB chunks) and returns its CID and each file's. */
  addDirectory(entries: AsyncIterable<IpfsAddEntry> | Iterable<IpfsAddEntry>, options?: IpfsAddOptions): Promise<IpfsAddResult>;
  /** Pins a DAG recursively, fetching missing blocks from peers. Pinning twice is not an error. */
  pin(cid: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Removes a recursive pin; unpinning what is not pinned is not an error. */
  unpin(cid: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Whether the block is kept by a pin, its own or one of a DAG containing it. */
  isPinned(cid: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Whether the block itself is stored locally (never asks peers). */
  has(cid: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** A file's bytes (`path` inside a directory), optionally a slice of them. */
  cat(cid: string, options?: IpfsCatOptions): AsyncIterable<Uint8Array>;
  stat(cid: string, path?: string, options?: IpfsReadOptions): Promise<IpfsStat>;
  /** A directory's entries, sorted by name as UnixFS stores them. */
  ls(cid: string, path?: string, options?: IpfsReadOptions): Promise<IpfsLsEntry[]>;
  /** One block's bytes, exactly as hashed into its CID. */
  getBlock(cid: string, options?: IpfsReadOptions): Promise<Uint8Array>;
  /** The whole DAG under `cid` as a CARv1 stream with `cid` as its root. */
  exportCar(cid: string, options?: IpfsReadOptions): AsyncIterable<Uint8Array>;
  /** Stores every block of a CARv1 stream (each checked against its CID) and returns the CAR's roots. Does not pin. */
  importCar(car: AsyncIterable<Uint8Array>, options?: { signal?: AbortSignal }): Promise<{ roots: string[]; blocks: number }>;
  info(options?: { signal?: AbortSignal }): Promise<IpfsInfo>;
  stop(): Promise<void>;
}
