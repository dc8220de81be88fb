import type { BlobSource, StagedBlob } from '@/lib/storage/blob-store';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { isAppError } from '@/lib/errors/app-error';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { bufferSource, openFileSource } from './byte-source';
import { DicomRejection, FAILURE_REASON } from './dicom-rejection';
import { readDicomHeader, type DicomHeader } from './read-header';

/** A DICOM file received in full, hashed, validated and waiting in the blob store's temp area. */
export type StagedInstance = { blob: StagedBlob; header: DicomHeader };

/**
 * A DICOM file received in full and validated, not necessarily written yet: `stage()` writes it to
 * the blob store's temp area (at most once), `discard()` drops it.
 */
export type ReceivedInstance = {
  header: DicomHeader;
  size: number;
  stage(): Promise<StagedInstance>;
  discard(): Promise<void>;
};

/**
 * Files up to this size are received into memory and validated there; larger ones stream to disk as
 * they arrive. Most DICOM files are a few hundred KiB: for them, a rejected file never touches the
 * disk, and the write can proceed while the next file arrives (see ingestFiles).
 */
export const IN_MEMORY_LIMIT = 8 * 1024 * 1024;

export type ReceiveOptions = {
  maxBytes: number;
  /** Larger files stream to disk (IN_MEMORY_LIMIT unless told). */
  inMemoryLimit?: number;
};

/** Receives, validates and writes one file. Throws DicomRejection. */
export async function stageInstance(source: BlobSource, options: ReceiveOptions): Promise<StagedInstance> {
  return (await receiveInstance(source, options)).stage();
}

/**
 * Reads one file and validates its header. A file over `maxBytes` is refused as it streams, never
 * buffered whole; a rejected file leaves nothing behind. Throws DicomRejection.
 */
export async function receiveInstance(source: BlobSource, { maxBytes, inMemoryLimit = IN_MEMORY_LIMIT }: ReceiveOptions): Promise<ReceivedInstance> {
  const head: Uint8Array[] = [];
  let size = 0;
  let rest: AsyncIterator<Uint8Array> | null = null;
  if (source instanceof Uint8Array || Array.isArray(source)) {
    head.push(...(source instanceof Uint8Array ? [source] : (source as readonly Uint8Array[])));
    size = head.reduce((n, chunk) => n + chunk.length, 0);
  } else {
    // Iterated by hand: a for-await that stops early would close a source that stage() still needs.
    const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) break;
      head.push(value);
      size += value.length;
      if (size > Math.min(maxBytes, inMemoryLimit)) {
        rest = iterator;
        break;
      }
    }
  }
  if (size > maxBytes) {
    await rest?.return?.();
    throw tooLarge(maxBytes);
  }
  if (rest) return alreadyStaged(await stageStreaming(head, rest, maxBytes));

  let bytes: Uint8Array[] | null = head;
  const header = await readDicomHeader(bufferSource(head));
  let staging: Promise<StagedInstance> | null = null;
  return {
    header,
    size,
    stage() {
      if (!staging) {
        if (!bytes) return Promise.reject(new Error('stage() after discard()'));
        // Once written, the bytes are let go: a long upload must not hold every file in memory.
        const content = bytes;
        bytes = null;
        staging = getBlobStore()
          .stage(content, { durable: 'bytes' }) // its directory entry is synced with its batch (storeInstances)
          .then((blob) => ({ blob, header }));
      }
      return staging;
    },
    discard: async () => {
      bytes = null;
      if (staging) await (await staging.catch(() => null))?.blob.discard();
    },
  };
}

/** A large file: written to the temp area as it arrives, its header read back from there. */
async function stageStreaming(head: Uint8Array[], rest: AsyncIterator<Uint8Array>, maxBytes: number): Promise<StagedInstance> {
  let blob: StagedBlob;
  try {
    // Its directory entry is synced with its batch, just before the batch commits (storeInstances).
    blob = await getBlobStore().stage(resume(head, rest), { maxBytes, durable: 'bytes' });
  } catch (err) {
    if (isAppError(err, 'PAYLOAD_TOO_LARGE')) throw tooLarge(maxBytes);
    throw err;
  }
  try {
    const file = await openFileSource(blob.path);
    try {
      return { blob, header: await readDicomHeader(file) };
    } finally {
      await file.close();
    }
  } catch (err) {
    await blob.discard();
    throw err;
  }
}

function alreadyStaged(item: StagedInstance): ReceivedInstance {
  return { header: item.header, size: item.blob.size, stage: async () => item, discard: () => item.blob.discard() };
}

async function* resume(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  let finished = false;
  try {
    yield* head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    finished = true;
  } finally {
    // Stopped early (too large, a write failed): close the source, as a for-await would have.
    if (!finished) await rest.return?.();
  }
}

function tooLarge(maxBytes: number): DicomRejection {
  return new DicomRejection(FAILURE_REASON.OUT_OF_RESOURCES, `It is larger than this installation accepts (${formatBytes(maxBytes)}).`);
}
