import { env } from '@/lib/config/env';
import type { BlobSource } from '@/lib/storage/blob-store';
import { DicomRejection } from './dicom-rejection';
import type { DicomHeader } from './read-header';
import { stageInstance, type StagedInstance } from './stage-instance';
import { rejectedOutcome, storeInstances, type InstanceOutcome, type RejectedOutcome } from './store-instances';

/** A file to ingest, or one its source already refused (a zip member too large to unpack, say). */
export type IncomingFile = { name?: string; body: BlobSource } | { name?: string; rejected: DicomRejection };
export type FileOutcome = InstanceOutcome & { name?: string };
/** `files`: received so far (receiving), or accepted and to be stored (storing); `done` of those. */
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

/**
 * Ingests a stream of files (a STOW-RS request, a folder, an archive): each is received into the
 * blob store's temp area and validated as it arrives, then the accepted ones are stored in batches.
 * Nothing is stored until every file has arrived: if the source fails midway (a client disconnects),
 * everything received is dropped and the error is rethrown. Outcomes come back in arrival order.
 */
export async function ingestFiles(files: AsyncIterable<IncomingFile>, options: IngestFilesOptions): Promise<FileOutcome[]> {
  const { actorUserId, maxBytes = env.COHORT_MAX_DICOM_BYTES, batchSize = 100, screen, onProgress = () => {} } = options;
  const outcomes: (FileOutcome | null)[] = [];
  const staged: { index: number; name?: string; item: StagedInstance }[] = [];
  let bytes = 0;
  try {
    for await (const file of files) {
      const { name } = file;
      const index = outcomes.length;
      try {
        if ('rejected' in file) throw file.rejected;
        const item = await stageInstance(file.body, { maxBytes });
        bytes += item.blob.size;
        const refusal = screen?.(item.header);
        if (refusal) {
          await item.blob.discard();
          outcomes.push({ ...refusal, name });
        } else {
          staged.push({ index, name, item });
          outcomes.push(null);
        }
      } catch (err) {
        if (!(err instanceof DicomRejection)) throw err;
        outcomes.push({ ...rejectedOutcome(err), name });
      }
      onProgress({ phase: 'receiving', files: outcomes.length, bytes, done: outcomes.length });
    }
  } catch (err) {
    await Promise.all(staged.map(({ item }) => item.blob.discard()));
    throw err;
  }

  for (let i = 0; i < staged.length; i += batchSize) {
    const batch = staged.slice(i, i + batchSize);
    let results: InstanceOutcome[];
    try {
      results = await storeInstances(batch.map((b) => b.item), { actorUserId });
    } catch (err) {
      // Later batches were never stored: drop what they received.
      await Promise.all(staged.slice(i + batchSize).map(({ item }) => item.blob.discard()));
      throw err;
    }
    for (const [k, { index, name }] of batch.entries()) outcomes[index] = { ...results[k]!, name };
    onProgress({ phase: 'storing', files: staged.length, bytes, done: Math.min(i + batchSize, staged.length) });
  }
  return outcomes as FileOutcome[];
}
