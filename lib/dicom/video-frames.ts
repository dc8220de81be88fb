import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { log } from '@/lib/log/logger';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodedFrameBytes, decodeVideoFrames, decodeVideoToFile, type VideoHeader } from './codecs/decode-video';
import { encapsulatedStream } from './encapsulated-frames';
import type { NativePixels, PositionalReader } from './read-native-frame';

type VideoSource = Pick<NativePixels, 'rows' | 'columns' | 'bitsAllocated' | 'pixelDataOffset' | 'frames'> & { transferSyntaxUid: string; bitsStored?: number | null };

/** A decode into the cache under way: ffmpeg writes its frames, in order, to `part`. */
type Decode = { part: string; done: Promise<void> };
/** Decodes in progress, by cache file: the viewer asks for every frame of a video at once. */
const decoding = new Map<string, Decode>();
/** How often a request waiting for a frame ffmpeg has not written yet looks again. */
const FRAME_POLL_MS = 20;

/**
 * Frames (numbered from 1) of a stored video instance as interleaved RGB samples in the header's
 * bits. The whole stream is decoded once, into the data directory's video cache (a frame of a video
 * needs those before it), and frames are read from there after; frames ffmpeg has written are
 * served while it decodes the rest, so a long clip shows its first frames at once. The least
 * recently viewed videos leave the cache once it holds more than COHORT_VIDEO_CACHE_MB.
 */
export async function storedVideoFrames(row: VideoSource & { sha256: string }, frames: readonly number[]): Promise<Buffer[]> {
  try {
    return await cachedFrames(row, frames);
  } catch (err) {
    // The cache file went between its decode and this read (evicted for another video, or the cache
    // emptied): decode it again, once.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return cachedFrames(row, frames);
  }
}

async function cachedFrames(row: VideoSource & { sha256: string }, frames: readonly number[]): Promise<Buffer[]> {
  const header = videoHeader(row);
  const size = decodedFrameBytes(header);
  const file = path.join(env.videoCacheDir, `${row.sha256}-${header.bitsAllocated > 8 ? 'rgb48' : 'rgb24'}`);
  /** The decode whose part file holds the frames asked for, while it runs; none: they are in the cache file. */
  let decode: Decode | undefined;
  if (!(await touch(file))) {
    const limit = env.COHORT_VIDEO_CACHE_MB * 1024 ** 2;
    if (size * header.frames > limit) {
      throw new Error(`it decodes to ${formatBytes(size * header.frames)}, more than the video cache holds (${formatBytes(limit)}): raise COHORT_VIDEO_CACHE_MB to view it.`);
    }
    let pending = decoding.get(file);
    if (!pending) {
      const part = `${file}.${randomUUID()}.part`;
      const started: Decode = { part, done: decodeIntoCache(getBlobStore().pathOf(row.sha256), row, header, part, file).finally(() => decoding.delete(file)) };
      // Waiters await it below; a failure no one waits for is not an unhandled rejection.
      started.done.catch(() => undefined);
      decoding.set(file, started);
      pending = started;
    }
    if (await written(pending, Math.max(...frames) * size)) decode = pending;
    else await pending.done;
  }
  const handle = await openDecoded(file, decode);
  try {
    return await Promise.all(
      frames.map(async (n) => {
        // Not zero-filled: every byte is read over, or the frame is refused.
        const frame = Buffer.allocUnsafe(size);
        const { bytesRead } = await handle.read(frame, 0, size, (n - 1) * size);
        if (bytesRead !== size) throw new Error(`Frame ${n} is missing from the decoded video.`);
        return toBitsStored(frame, row);
      }),
    );
  } finally {
    await handle.close();
  }
}

/** Whether ffmpeg has written `bytes` of frames to the decode's part file before the decode ended (false: it ended first, ok or not). */
async function written(decode: Decode, bytes: number): Promise<boolean> {
  let ended = false;
  void decode.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (!ended) {
    const size = await fs.stat(decode.part).then(
      (s) => s.size,
      () => 0,
    );
    if (size >= bytes) return true;
    await new Promise((resolve) => setTimeout(resolve, FRAME_POLL_MS));
  }
  return false;
}

/** Opens the part file being written, or the cache file: the decode's once it is renamed, or its reason when it failed. */
async function openDecoded(file: string, decode: Decode | undefined): Promise<fs.FileHandle> {
  if (decode) {
    try {
      return await fs.open(decode.part, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await decode.done;
    }
  }
  return fs.open(file, 'r');
}

/** Frames of a video instance read from its bytes (a file in memory), decoded without the cache. */
export async function videoFramesOf(reader: PositionalReader, row: VideoSource, frames: readonly number[]): Promise<Buffer[]> {
  const decoded = await decodeVideoFrames(await encapsulatedStream(reader, row), videoHeader(row), frames);
  return decoded.map((frame) => toBitsStored(frame, row));
}

function videoHeader(row: VideoSource): VideoHeader {
  return { transferSyntaxUid: row.transferSyntaxUid, rows: row.rows ?? 0, columns: row.columns ?? 0, frames: row.frames, bitsAllocated: row.bitsAllocated ?? 8 };
}

async function decodeIntoCache(blob: string, row: VideoSource, header: VideoHeader, part: string, file: string): Promise<void> {
  await fs.mkdir(env.videoCacheDir, { recursive: true });
  const source = await fs.open(blob, 'r');
  let stream: Buffer;
  try {
    stream = await encapsulatedStream(source, row);
  } finally {
    await source.close();
  }
  // Written under a name of its own, then renamed: the cache never holds half a video.
  try {
    await decodeVideoToFile(stream, header, part);
    const decoded = Math.floor((await fs.stat(part)).size / decodedFrameBytes(header));
    if (decoded < header.frames) throw new Error(`The video stream holds ${decoded} frames; the header says ${header.frames}.`);
    await fs.rename(part, file);
  } finally {
    await fs.rm(part, { force: true });
  }
  await evictBeyondLimit(file).catch((err: Error) => log.warn('could not trim the video cache', { err: err.message }));
}

/** Marks a cached video as just viewed; false when it is not cached. */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  return fs.utimes(file, now, now).then(
    () => true,
    () => false,
  );
}

/** Removes the least recently viewed videos while the cache holds more than its limit (never the one just decoded). */
async function evictBeyondLimit(keep: string): Promise<void> {
  // Another process may be trimming too, or the cache was emptied: what is gone needs no trimming.
  const gone = (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err));
  const names = ((await fs.readdir(env.videoCacheDir).catch(gone)) ?? []).filter((n) => !n.endsWith('.part'));
  const stats = await Promise.all(names.map(async (n) => ({ file: path.join(env.videoCacheDir, n), stat: await fs.stat(path.join(env.videoCacheDir, n)).catch(gone) })));
  const files = stats.flatMap(({ file, stat }) => (stat ? [{ file, size: stat.size, mtimeMs: stat.mtimeMs }] : []));
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  let total = 0;
  for (const f of files) {
    total += f.size;
    if (total > env.COHORT_VIDEO_CACHE_MB * 1024 ** 2 && f.file !== keep) await fs.rm(f.file, { force: true });
  }
}

/** 16-bit samples (HEVC Main 10) come from ffmpeg scaled to the full 16 bits: back to the header's Bits Stored. */
function toBitsStored(frame: Buffer, row: VideoSource): Buffer {
  const shift = (row.bitsAllocated ?? 8) > 8 ? 16 - (row.bitsStored ?? 16) : 0;
  if (shift > 0) for (let i = 0; i + 1 < frame.length; i += 2) frame.writeUInt16LE(frame.readUInt16LE(i) >> shift, i);
  return frame;
}
