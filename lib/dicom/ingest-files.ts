import { env } from '@/lib/config/env';
import type { BlobSource } from '@/lib/storage/blob-store';
import { DicomRejection } from './dicom-rejection';
import type { DicomHeader } from './read-header';
import { receiveInstance, type ReceivedInstance } from './stage-instance';
import { rejectedOutcome, storeInstances, type InstanceOutcome, type RejectedOutcome } from './store-instances';

/** A file to ingest, or one its source already refused (a zip member too large to unpack, say). */
export type IncomingFile = { name?: string; body: BlobSource } | { name?: string; rejected: DicomRejection };
export type FileOutcome = InstanceOutcome & { name?: string };
/**
 * `files`: arrived so far; `done`: of those, how many have their outcome (stored, duplicate or
 * refused). The phase is `storing` once the last file has arrived.
 */
export type IngestProgress = { phase: 'receiving' | 'storing'; files: number; bytes: number; done: number };

export type IngestFilesOptions = {
  actorUserId: string;
  maxBytes?: number;
  /** Files per database transaction. */
  batchSize?: number;
  /** Refuses a readable file for a reason of the caller's (a STOW-RS request for another study, say). */
  screen?: (header: DicomHeader) => RejectedOutcome | null;
  onProgress?: (progress: IngestProgress) => void;
};

type Accepted = { index: number; name?: string; file: ReceivedInstance };

/**
 * Ingests a stream of files (a STOW-RS request, a folder, an archive). Each file is received and
 * validated as it arrives, written to the blob store's temp area while the next one arrives, and
 * stored with the files around it in batches of `batchSize`, one transaction each, while later files
 * are still arriving. Only whole files are ever stored: if the source fails midway (a client
 * disconnects, a body is cut off), the batches already stored stay stored, as a PACS keeps the
 * instances of an interrupted transfer (sent again, they are duplicates), everything else received
 * is dropped, and the error is rethrown. Outcomes come back in arrival order.
 */
export async function ingestFiles(files: AsyncIterable<IncomingFile>, options: IngestFilesOptions): Promise<FileOutcome[]> {
  const { actorUserId, maxBytes = env.COHORT_MAX_DICOM_BYTES, batchSize = 100, screen, onProgress = () => {} } = options;
  const outcomes: (FileOutcome | null)[] = [];
  const writes = new WriteWindow();
  let accepted: Accepted[] = [];
  let bytes = 0;
  let done = 0;
  let arrived = false;
  const report = () => onProgress({ phase: arrived ? 'storing' : 'receiving', files: outcomes.length, bytes, done });

  // Batches are stored one after another, in the background of the receiving loop.
  let storing: Promise<unknown> = Promise.resolve();
  let storeFailure = null as { error: unknown } | null;
  const store = (batch: Accepted[]) => {
    storing = storing.then(async () => {
      if (storeFailure) return discard(batch);
      try {
        const staged = await Promise.all(batch.map(({ file }) => file.stage()));
        const results = await storeInstances(staged, { actorUserId });
        for (const [k, { index, name }] of batch.entries()) outcomes[index] = { ...results[k]!, name };
        done += batch.length;
        report();
      } catch (error) {
        storeFailure = { error };
        await discard(batch);
      }
    });
  };

  try {
    for await (const file of files) {
      if (storeFailure) throw storeFailure.error;
      const { name } = file;
      const index = outcomes.length;
      try {
        if ('rejected' in file) throw file.rejected;
        const item = await receiveInstance(file.body, { maxBytes });
        bytes += item.size;
        const refusal = screen?.(item.header);
        if (refusal) {
          await item.discard();
          outcomes.push({ ...refusal, name });
          done++;
        } else {
          outcomes.push(null);
          accepted.push({ index, name, file: item });
          await writes.add(item.stage(), item.size);
          if (accepted.length >= batchSize) {
            store(accepted);
            accepted = [];
          }
        }
      } catch (err) {
        if (!(err instanceof DicomRejection)) throw err;
        outcomes.push({ ...rejectedOutcome(err), name });
        done++;
      }
      report();
    }
    arrived = true;
    if (accepted.length > 0) store(accepted);
    accepted = [];
    await storing;
    if (storeFailure) throw storeFailure.error;
  } catch (err) {
    await writes.settle();
    await storing;
    await discard(accepted);
    throw err;
  }
  return outcomes as FileOutcome[];
}

function discard(files: readonly Accepted[]): Promise<unknown> {
  return Promise.all(files.map(({ file }) => file.discard()));
}

/**
 * Disk writes in flight while files keep arriving, up to WINDOW_BYTES at once. A failed write (disk
 * full) surfaces at the next add() (and where its batch waits for it); settle() waits for all of them
 * whatever happened, so nothing is still writing when the caller cleans up.
 */
class WriteWindow {
  static readonly WINDOW_BYTES = 64 * 1024 * 1024;
  #pending = new Map<Promise<unknown>, number>();
  #bytes = 0;
  #failure: { error: unknown } | null = null;

  async add(write: Promise<unknown>, size: number): Promise<void> {
    const tracked: Promise<unknown> = write.then(
      () => this.#done(tracked),
      (error: unknown) => {
        this.#failure ??= { error };
        this.#done(tracked);
      },
    );
    this.#pending.set(tracked, size);
    this.#bytes += size;
    while (this.#bytes > WriteWindow.WINDOW_BYTES && this.#pending.size > 1) await Promise.race(this.#pending.keys());
    this.#throwIfFailed();
  }

  async settle(): Promise<void> {
    await Promise.all(this.#pending.keys());
  }

  #done(tracked: Promise<unknown>) {
    this.#bytes -= this.#pending.get(tracked) ?? 0;
    this.#pending.delete(tracked);
  }

  #throwIfFailed() {
    if (this.#failure) throw this.#failure.error;
  }
}
