import { AsyncQueue } from '@/lib/async/async-queue';
import type { IpfsAddEntry, IpfsAddResult, IpfsBackend } from '@/lib/ipfs/ipfs-backend';

/** How many bytes of written files may wait for the importer before writers wait for it. */
const BACKLOG_BYTES = 64 * 1024 * 1024;

export type StreamingAdd = {
  /** Queues a file of the version; waits while the importer is behind, throws if the add failed. */
  add(entry: IpfsAddEntry): Promise<void>;
  /** No more files: waits for the root directory, pinned. */
  finish(): Promise<IpfsAddResult>;
  /** Stops the add (the version is not published); blocks already stored stay unpinned. */
  abort(reason: unknown): Promise<void>;
};

/**
 * One IPFS add (a pinned UnixFS directory) that runs while the version is still being prepared: files
 * go to the importer as their study is exported, so hashing and storing blocks fill the time the
 * export waits on compression and the disk, rather than following it. `onProgress` gets the bytes
 * added so far.
 */
export function startStreamingAdd(ipfs: IpfsBackend, onProgress: (bytesAdded: number) => void): StreamingAdd {
  const queue = new AsyncQueue<IpfsAddEntry>(BACKLOG_BYTES, (entry) => (entry.content instanceof Uint8Array ? entry.content.byteLength : 0));
  let failure: { error: unknown } | null = null;
  const result = ipfs.addDirectory(queue, { pin: true, onProgress }).catch((error: unknown) => {
    failure = { error };
    throw error;
  });
  // Awaited by finish() or abort(); until then a failure shows up in add().
  result.catch(() => undefined);
  return {
    async add(entry) {
      try {
        await queue.push(entry);
      } catch (err) {
        // The importer stopped reading: it failed, and that failure is the reason.
        await result.catch(() => undefined);
        throw failure ? failure.error : err;
      }
    },
    async finish() {
      queue.close();
      return result;
    },
    async abort(reason) {
      queue.fail(reason);
      await result.catch(() => undefined);
    },
  };
}
