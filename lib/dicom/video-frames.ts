import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { log } from '@/lib/log/logger';
import { getBlobStore } from '@/lib/storage/get-blob-store';
import { decodedFrameBytes, decodeVideoFrames, decodeVideoToFile, type VideoHeader } from './codecs/decode-video';
import { encapsulatedStream } from './encapsulated-frames';
import type { NativePixels, PositionalReader } from './read-native-frame';

type VideoSource = Pick<NativePixels, 'rows' | 'columns' | 'bitsAllocated' | 'pixelDataOffset' | 'frames'> & { transferSyntaxUid: string; bitsStored?: number | null };

/** Decodes in progress, by cache file: the viewer asks for every frame of a video at once. */
const decoding = new Map<string, Promise<void>>();

/**
 * Frames (numbered from 1) of a stored video instance as interleaved RGB samples in the header's
 * bits. The whole stream is decoded once, into the data directory's video cache (a frame of a video
 * needs those before it), and frames are read from there after; the least recently viewed videos
 * leave the cache once it holds more than COHORT_VIDEO_CACHE_MB.
 */
export async function storedVideoFrames(row: VideoSource & { sha256: string }, frames: readonly number[]): Promise<Buffer[]> {
  const header = videoHeader(row);
  const file = path.join(env.videoCacheDir, `${row.sha256}-${header.bitsAllocated > 8 ? 'rgb48' : 'rgb24'}`);
  if (!(await touch(file))) {
    let pending = decoding.get(file);
    if (!pending) {
      pending = decodeIntoCache(getBlobStore().pathOf(row.sha256), row, header, file).finally(() => decoding.delete(file));
      decoding.set(file, pending);
    }
    await pending;
  }
  const size = decodedFrameBytes(header);
  const handle = await fs.open(file, 'r');
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

/** Frames of a video instance read from its bytes (a file in memory), decoded without the cache. */
export async function videoFramesOf(reader: PositionalReader, row: VideoSource, frames: readonly number[]): Promise<Buffer[]> {
  const decoded = await decodeVideoFrames(await encapsulatedStream(reader, row), videoHeader(row), frames);
  return decoded.map((frame) => toBitsStored(frame, row));
}

function videoHeader(row: VideoSource): VideoHeader {
  return { transferSyntaxUid: row.transferSyntaxUid, rows: row.rows ?? 0, columns: row.columns ?? 0, frames: row.frames, bitsAllocated: row.bitsAllocated ?? 8 };
}

async function decodeIntoCache(blob: string, row: VideoSource, header: VideoHeader, file: string): Promise<void> {
  await fs.mkdir(env.videoCacheDir, { recursive: true });
  const source = await fs.open(blob, 'r');
  let stream: Buffer;
  try {
    stream = await encapsulatedStream(source, row);
  } finally {
    await source.close();
  }
  // Written under a name of its own, then renamed: a reader (or another process) never sees half a video.
  const part = `${file}.${randomUUID()}.part`;
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
  const names = (await fs.readdir(env.videoCacheDir)).filter((n) => !n.endsWith('.part'));
  const files = await Promise.all(names.map(async (n) => ({ file: path.join(env.videoCacheDir, n), ...(await fs.stat(path.join(env.videoCacheDir, n))) })));
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
