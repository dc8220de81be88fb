import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '@/lib/errors/app-error';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { DicomRejection, FAILURE_REASON } from './dicom-rejection';
import type { IncomingFile } from './ingest-files';

export type ZipLimits = {
  /** Largest member accepted (its declared size; yauzl refuses a member that inflates beyond it). */
  maxEntryBytes: number;
  /** Most bytes all members may inflate to together. */
  maxTotalBytes: number;
  /** Highest compression ratio accepted for a member over 1 MiB: beyond it, a zip bomb. */
  maxRatio?: number;
};

const BOMB_FLOOR = 1024 * 1024;

/**
 * The members of a zip archive as files to ingest, streamed one at a time (never extracted to disk
 * under their own names). A member whose name climbs out of the archive (`../`, an absolute path)
 * refuses the whole archive; a member too large, or compressed implausibly well, is refused without
 * being inflated; the archive's declared total is capped. Folders, macOS resource forks and hidden
 * files are passed over.
 */
export async function* zipEntries(file: string, { maxEntryBytes, maxTotalBytes, maxRatio = 200 }: ZipLimits): AsyncGenerator<IncomingFile> {
  const zip = await openZip(file);
  try {
    let total = 0;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      const name = entry.fileName;
      if (name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'))) continue;
      const size = entry.uncompressedSize;
      total += size;
      if (total > maxTotalBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `The archive unpacks to more than ${formatBytes(maxTotalBytes)}; split it into smaller ones.`);
      }
      if (size > maxEntryBytes) {
        yield { name, rejected: new DicomRejection(FAILURE_REASON.OUT_OF_RESOURCES, `It is larger than this installation accepts (${formatBytes(maxEntryBytes)}).`) };
      } else if (size > BOMB_FLOOR && size / Math.max(1, entry.compressedSize) > maxRatio) {
        yield {
          name,
          rejected: new DicomRejection(
            FAILURE_REASON.OUT_OF_RESOURCES,
            `It would inflate ${Math.round(size / Math.max(1, entry.compressedSize))}-fold (${formatBytes(size)}): refused as a likely zip bomb.`,
          ),
        };
      } else {
        yield { name, body: await openEntry(zip, entry) };
      }
    }
  } finally {
    zip.close();
  }
}

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) =>
      err ? reject(zipError(err)) : resolve(zip),
    ),
  );
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (err: Error) => (cleanup(), reject(zipError(err)));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(zipError(err)) : resolve(stream))));
}

/** yauzl's messages, for a person: "invalid relative path: ../evil.dcm" and friends. */
function zipError(err: Error): AppError {
  if (/invalid relative path|absolute path/i.test(err.message)) {
    return new AppError('BAD_REQUEST', `The archive was refused: a member's name points outside it (${err.message.replace(/^.*?: /, '')}).`);
  }
  return new AppError('BAD_REQUEST', `The archive cannot be read: ${err.message}.`);
}
