import type { BlobSource, StagedBlob } from '@/lib/storage/blob-store';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { isAppError } from '@/lib/errors/app-error';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { openFileSource } from './byte-source';
import { DicomRejection, FAILURE_REASON } from './dicom-rejection';
import { readDicomHeader, type DicomHeader } from './read-header';

/** A DICOM file received in full, hashed, validated and waiting in the blob store's temp area. */
export type StagedInstance = { blob: StagedBlob; header: DicomHeader };

/**
 * Streams one file into the blob store's temp area while hashing it, then reads and validates its
 * header. A file over `maxBytes` is cut off as it streams, never buffered; a rejected file leaves
 * nothing behind. Throws DicomRejection.
 */
export async function stageInstance(source: BlobSource, { maxBytes }: { maxBytes: number }): Promise<StagedInstance> {
  let blob: StagedBlob;
  try {
    // Made durable with its batch, just before the batch commits (storeInstances).
    blob = await getBlobStore().stage(source, { maxBytes, durable: false });
  } catch (err) {
    if (isAppError(err, 'PAYLOAD_TOO_LARGE')) throw new DicomRejection(FAILURE_REASON.OUT_OF_RESOURCES, `It is larger than this installation accepts (${formatBytes(maxBytes)}).`);
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
