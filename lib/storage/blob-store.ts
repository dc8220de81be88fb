import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@/lib/errors/app-error';

/** Bytes to store: in memory (whole, or as chunks), or streaming. */
export type BlobSource = Uint8Array | readonly Uint8Array[] | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
export type BlobRef = { sha256: string; size: number };
export type PutOptions = {
  /** Refuse (and keep nothing of) a stream longer than this. */
  maxBytes?: number;
  /**
   * When the blob is durable. `commit` (default): its bytes are synced as it is staged, and its
   * directory entry when `commit` returns. `bytes`: only its bytes are synced; batch writers (ingest)
   * commit many, then call `syncDirectories` once for all of them before committing what refers to
   * them: one wait for the batch, not one per file.
   */
  durable?: 'commit' | 'bytes';
};

/** A blob hashed and written to a temp file, not yet visible under its address. */
export type StagedBlob = BlobRef & {
  /** The temp file, for reading before the commit (e.g. to parse a header); gone after commit or discard. */
  path: string;
  /** Atomically moves it to its address; `created` is false when identical content was already there. */
  commit(): Promise<{ created: boolean }>;
  discard(): Promise<void>;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A content-addressed store on a local directory: `<root>/sha256/ab/cd/<hex>`. Writes stream through
 * SHA-256 into `<root>/tmp` and are renamed into place, so a reader never sees a partial blob and a
 * crash leaves only temp files (swept by `sweepTemp`). Stored files are read-only: an address names
 * exactly one content forever.
 */
export class LocalBlobStore {
  constructor(readonly root: string) {}

  /** Stage then commit: the common case. */
  async put(source: BlobSource, options: PutOptions = {}): Promise<BlobRef & { created: boolean }> {
    const staged = await this.stage(source, options);
    const { created } = await staged.commit();
    return { sha256: staged.sha256, size: staged.size, created };
  }

  /**
   * Writes `source` to a temp file while hashing it. Callers that must commit a database row and the
   * blob together (ingest) stage first, write their rows, then commit the blob in the same unit.
   */
  async stage(source: BlobSource, { maxBytes = Number.POSITIVE_INFINITY, durable = 'commit' }: PutOptions = {}): Promise<StagedBlob> {
    const { file, tmpPath } = await this.#openTemp();
    const hash = createHash('sha256');
    let size = 0;
    try {
      // Chunks are gathered and written together: one system call per WRITE_BATCH, not per chunk.
      let batch: Uint8Array[] = [];
      let batched = 0;
      for await (const chunk of chunksOf(source)) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The content is larger than ${maxBytes} bytes.`);
        hash.update(chunk);
        batch.push(chunk);
        batched += chunk.byteLength;
        if (batched >= WRITE_BATCH) {
          await writeAll(file, batch);
          [batch, batched] = [[], 0];
        }
      }
      await writeAll(file, batch);
      await file.sync();
      await file.close();
    } catch (err) {
      await file.close().catch(() => {});
      await fs.rm(tmpPath, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    let state: 'staged' | 'committed' | 'discarded' = 'staged';
    return {
      sha256,
      size,
      path: tmpPath,
      commit: async () => {
        if (state !== 'staged') throw new Error(`staged blob already ${state}`);
        const result = await this.#moveIntoPlace(tmpPath, sha256, durable === 'commit'); // on failure it stays staged: discard() cleans up
        state = 'committed';
        return result;
      },
      discard: async () => {
        if (state !== 'staged') return;
        state = 'discarded';
        await fs.rm(tmpPath, { force: true });
      },
    };
  }

  /**
   * Streams a blob, or a byte range of it (inclusive `end`, as in HTTP Range). `chunkBytes`: larger
   * reads for whole-file copies (a study download), where 64 KiB round trips dominate.
   */
  async get(sha256: string, range?: { start: number; end?: number }, { chunkBytes }: { chunkBytes?: number } = {}): Promise<Readable> {
    const file = this.pathOf(sha256);
    await this.#statOrNotFound(file);
    return createReadStream(file, { ...range, ...(chunkBytes ? { highWaterMark: chunkBytes } : {}) });
  }

  /** A whole blob in memory (labelmaps, one instance at a time for the dataset export): one read of its size. */
  async read(sha256: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', 'No such blob.');
      throw err;
    }
  }

  async stat(sha256: string): Promise<BlobRef | null> {
    try {
      const s = await fs.stat(this.pathOf(sha256));
      return { sha256, size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  /** Removes a blob; false when it was not there. */
  async delete(sha256: string): Promise<boolean> {
    try {
      await fs.rm(this.pathOf(sha256));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Re-hashes a stored blob: true when its bytes still match its address (bit rot, tampering). */
  async verify(sha256: string): Promise<boolean> {
    const hash = createHash('sha256');
    for await (const chunk of await this.get(sha256)) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  }

  /** Deletes temp files older than `olderThanMs`: leftovers of writes a crash interrupted. */
  async sweepTemp(olderThanMs = 60 * 60 * 1000): Promise<number> {
    const tmpDir = path.join(this.root, 'tmp');
    let names: string[];
    try {
      names = await fs.readdir(tmpDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const file = path.join(tmpDir, name);
      const s = await fs.stat(file).catch(() => null);
      if (s && s.mtimeMs < cutoff) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Whether `<root>/tmp` was created: checked once, not before every write. */
  #tmpDirExists = false;

  async #openTemp(): Promise<{ file: fs.FileHandle; tmpPath: string }> {
    const dir = path.join(this.root, 'tmp');
    const tmpPath = path.join(dir, randomUUID());
    if (!this.#tmpDirExists) await fs.mkdir(dir, { recursive: true });
    try {
      const file = await fs.open(tmpPath, 'wx', 0o600);
      this.#tmpDirExists = true;
      return { file, tmpPath };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !this.#tmpDirExists) throw err;
      // Removed since (a cleanup, a test): create it again.
      this.#tmpDirExists = false;
      return this.#openTemp();
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AppError('BAD_REQUEST', 'Not a SHA-256 address.');
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Forces the directory entries of blobs committed with `durable: 'bytes'` to disk, all at once (the
   * file system merges concurrent flushes): with their bytes synced when staged, the blobs are then
   * durable, as a rename is once its directory is synced.
   */
  async syncDirectories(sha256s: readonly string[]): Promise<void> {
    const dirs = [...new Set(sha256s.map((sha) => path.dirname(this.pathOf(sha))))];
    for (let i = 0; i < dirs.length; i += SYNC_PARALLELISM) await Promise.all(dirs.slice(i, i + SYNC_PARALLELISM).map(syncDir));
  }

  async #moveIntoPlace(tmpPath: string, sha256: string, syncDirectory: boolean): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    const dir = path.dirname(target);
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(tmpPath, 0o444);
    // link() is atomic and never replaces: exactly one of several concurrent writers of the same
    // content creates the blob, and the others learn it already exists.
    let created = true;
    try {
      await fs.link(tmpPath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      created = false;
    }
    await fs.rm(tmpPath, { force: true });
    if (created && syncDirectory) await syncDir(dir);
    return { created };
  }

  async #statOrNotFound(file: string) {
    try {
      await fs.stat(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', 'No such blob.');
      throw err;
    }
  }
}

async function* chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) yield source;
  else if (Array.isArray(source)) yield* source as readonly Uint8Array[];
  else yield* source as AsyncIterable<Uint8Array>;
}

const SYNC_PARALLELISM = 64;
const WRITE_BATCH = 1024 * 1024;

/** Writes every byte of `chunks`, in as few system calls as the kernel allows. */
async function writeAll(file: fs.FileHandle, chunks: Uint8Array[]) {
  const rest = chunks.filter((c) => c.byteLength > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await file.writev(rest);
    // A short write (rare on regular files): continue after what was written.
    while (rest.length > 0 && bytesWritten >= rest[0]!.byteLength) bytesWritten -= rest.shift()!.byteLength;
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

/** Makes a rename durable: the directory entry reaches the disk, not only the file's bytes. */
async function syncDir(dir: string) {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
