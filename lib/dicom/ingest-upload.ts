import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { ingestFiles, type FileOutcome } from './ingest-files';
import { zipEntries } from './zip-entries';

export type UploadRequest = {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  /** The file's name on the uploader's disk, for the result list. */
  name: string;
  actorUserId: string;
};

/**
 * One file uploaded from the browser: a DICOM file (application/dicom, or octet-stream: browsers do
 * not know the type) or a zip archive of them (application/zip). The body streams to disk, never
 * into memory; an archive is unpacked member by member (see zipEntries).
 */
export async function ingestUpload({ body, contentType, name, actorUserId }: UploadRequest): Promise<FileOutcome[]> {
  if (!body) throw new AppError('BAD_REQUEST', 'The request has no body.');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // Node's ReadableStream is async-iterable; the DOM typings do not say so.
  const stream = body as unknown as AsyncIterable<Uint8Array>;
  if (type === 'application/zip' || type === 'application/x-zip-compressed') {
    const archive = await receiveArchive(stream);
    try {
      return await ingestUploadedFile({ file: archive, type: 'application/zip', name, actorUserId });
    } finally {
      await fs.rm(archive, { force: true });
    }
  }
  if (type === 'application/dicom' || type === 'application/octet-stream' || type === '') {
    return ingestFiles((async function* () {
      yield { name, body: stream };
    })(), { actorUserId });
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Upload DICOM files (application/dicom) or zip archives (application/zip), not ${type}.`);
}

/**
 * A file already on disk, received whole by a resumable upload (lib/uploads): a zip archive is read
 * in place, a DICOM file streamed from it.
 */
export async function ingestUploadedFile({ file, type, name, actorUserId }: { file: string; type: 'application/dicom' | 'application/zip'; name: string; actorUserId: string }): Promise<FileOutcome[]> {
  if (type === 'application/zip') return ingestFiles(zipEntries(file, { maxEntryBytes: env.COHORT_MAX_DICOM_BYTES, maxTotalBytes: env.COHORT_MAX_ARCHIVE_BYTES }), { actorUserId });
  return ingestFiles((async function* () {
    yield { name, body: createReadStream(file) };
  })(), { actorUserId });
}

/** Streams an archive to a private temp file (zip needs random access to its central directory). */
async function receiveArchive(stream: AsyncIterable<Uint8Array>): Promise<string> {
  // The blob store's temp area: swept of leftovers at start-up.
  const dir = path.join(env.blobDir, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `upload-${randomUUID()}.zip`);
  let size = 0;
  const limited = async function* () {
    for await (const chunk of stream) {
      size += chunk.byteLength;
      if (size > env.COHORT_MAX_ARCHIVE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `The archive is larger than ${formatBytes(env.COHORT_MAX_ARCHIVE_BYTES)}.`);
      yield chunk;
    }
  };
  try {
    await pipeline(Readable.from(limited()), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return file;
  } catch (err) {
    await fs.rm(file, { force: true });
    throw err;
  }
}
