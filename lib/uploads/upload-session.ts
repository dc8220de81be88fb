import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { formatBytes } from '@/lib/format/format-bytes.client';
import type { StartUploadInput } from './schemas';

/**
 * A resumable upload (the tus idea, over plain HTTP): the browser announces a file, sends it in
 * chunks, each appended at the offset the server says it holds, and after a dropped connection asks
 * for that offset and goes on from there. Bytes live in `<data>/uploads/<id>/data` beside a
 * `meta.json`; a session nobody touched for a day is swept.
 */
export type UploadSession = StartUploadInput & { id: string; userId: string; createdAt: string };

const uploadsDir = () => path.join(env.dataDir, 'uploads');
const ID = /^[0-9a-f-]{36}$/;
/** One append at a time per session: a retried chunk racing its predecessor must not interleave. */
const appending = new Map<string, Promise<unknown>>();

export async function startUpload(userId: string, input: StartUploadInput): Promise<UploadSession & { offset: number }> {
  const limit = input.type === 'application/zip' ? env.COHORT_MAX_ARCHIVE_BYTES : env.COHORT_MAX_DICOM_BYTES;
  if (input.size > limit) throw new AppError('PAYLOAD_TOO_LARGE', `${input.name} is larger than this installation accepts (${formatBytes(limit)}).`);
  const session: UploadSession = { ...input, id: randomUUID(), userId, createdAt: new Date().toISOString() };
  const dir = path.join(uploadsDir(), session.id);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.writeFile(path.join(dir, 'data'), '', { flag: 'wx', mode: 0o600 });
  await fs.writeFile(path.join(dir, 'meta.json'), JSON.stringify(session), { flag: 'wx', mode: 0o600 });
  return { ...session, offset: 0 };
}

/** The session and how many of its bytes the server holds. Someone else's session is as absent as none. */
export async function getUpload(id: string, userId: string): Promise<UploadSession & { offset: number }> {
  const session = await readSession(id);
  if (!session || session.userId !== userId) throw new AppError('NOT_FOUND', 'No such upload: it may have expired; start it again.');
  const { size } = await fs.stat(dataPath(id));
  return { ...session, offset: size };
}

/**
 * Appends a chunk at `offset`, which must be what the server holds (else 409, with the offset to go
 * on from). Bytes that arrive before a connection drops are kept: that is what makes the upload
 * resumable. A chunk running past the announced size is refused and leaves nothing.
 */
export async function appendChunk(id: string, userId: string, offset: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ offset: number }> {
  const previous = appending.get(id) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => append(id, userId, offset, body));
  appending.set(id, run);
  try {
    return await run;
  } finally {
    if (appending.get(id) === run) appending.delete(id);
  }
}

async function append(id: string, userId: string, offset: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ offset: number }> {
  const session = await getUpload(id, userId);
  if (offset !== session.offset) {
    throw new AppError('CONFLICT', `The server holds ${session.offset} bytes of this upload; send from there.`, { offset: session.offset });
  }
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (offset + received > session.size) done(new AppError('PAYLOAD_TOO_LARGE', `This upload was announced as ${session.size} bytes; the chunk goes past that.`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(dataPath(id), { flags: 'a' }));
  } catch (err) {
    // Too long: nothing of the chunk stays. Cut off (a dropped connection): what arrived stays.
    if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE') await fs.truncate(dataPath(id), offset);
    throw err;
  }
  return { offset: offset + received };
}

/**
 * The whole file, once every byte has arrived, handed to `ingest` (which reads it from disk), then
 * the session is removed whatever the outcome: a refused file is refused again if sent again.
 */
export async function completeUpload<T>(id: string, userId: string, ingest: (session: UploadSession, file: string) => Promise<T>): Promise<T> {
  const session = await getUpload(id, userId);
  if (session.offset !== session.size) throw new AppError('CONFLICT', `Only ${session.offset} of ${session.size} bytes have arrived; send the rest first.`, { offset: session.offset });
  try {
    return await ingest(session, dataPath(id));
  } finally {
    await fs.rm(path.join(uploadsDir(), id), { recursive: true, force: true });
  }
}

export async function cancelUpload(id: string, userId: string): Promise<void> {
  await getUpload(id, userId);
  await fs.rm(path.join(uploadsDir(), id), { recursive: true, force: true });
}

/** Removes sessions untouched for `olderThanMs` (a day): browsers that never came back. Returns how many. */
export async function sweepUploads(olderThanMs = 24 * 3600_000): Promise<number> {
  const names = await fs.readdir(uploadsDir()).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const dir = path.join(uploadsDir(), name);
    // The data file's time is the last chunk's; the directory's covers a session just being created.
    const stat = await fs.stat(path.join(dir, 'data')).catch(() => fs.stat(dir).catch(() => null));
    if (!stat || Date.now() - stat.mtimeMs > olderThanMs) {
      await fs.rm(dir, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

function dataPath(id: string): string {
  return path.join(uploadsDir(), id, 'data');
}

async function readSession(id: string): Promise<UploadSession | null> {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(await fs.readFile(path.join(uploadsDir(), id, 'meta.json'), 'utf8')) as UploadSession;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
