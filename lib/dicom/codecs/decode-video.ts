import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { env } from '@/lib/config/env';
import { VIDEO_STREAM_FORMATS } from '../video-syntaxes.client';

/** A video stream can take this long to decode before it is given up on (a hostile stream must not hold a process forever). */
const DECODE_TIMEOUT_MS = 10 * 60_000;

/** What decoding a video needs from the instance's header. */
export type VideoHeader = { transferSyntaxUid: string; rows: number; columns: number; frames: number; bitsAllocated: number };

/**
 * Bytes of one decoded frame: interleaved RGB (YBR_PARTIAL_420, the only colour space of these
 * syntaxes, exists compressed only: decoded, it is RGB), 8 bits a sample or 16 for HEVC Main 10.
 */
export function decodedFrameBytes(header: VideoHeader): number {
  return header.rows * header.columns * 3 * (header.bitsAllocated > 8 ? 2 : 1);
}

/**
 * Decodes a video stream with ffmpeg into a file: its frames one after another, each
 * `decodedFrameBytes` long, written by ffmpeg itself (nothing passes through this process). Rejects
 * with ffmpeg's reason when the stream is corrupt, when ffmpeg is not installed or when it takes too long.
 */
export function decodeVideoToFile(stream: Uint8Array, header: VideoHeader, file: string): Promise<void> {
  return runFfmpeg(stream, header, file).done;
}

/**
 * Runs ffmpeg on a video stream given on its standard input, its frames as raw RGB to `output` (a
 * file, or `pipe:1` for its standard output). `done` says how it ended.
 */
function runFfmpeg(stream: Uint8Array, header: VideoHeader, output: string): { stdout: Readable; done: Promise<void> } {
  const format = VIDEO_STREAM_FORMATS.get(header.transferSyntaxUid);
  if (!format) throw new Error(`${header.transferSyntaxUid} is not a video transfer syntax.`);
  const child = spawn(
    env.COHORT_FFMPEG,
    // The stream is given as the raw elementary stream it is: no container, no other protocol than the pipe.
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'pipe', '-f', format, '-i', 'pipe:0', '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', header.bitsAllocated > 8 ? 'rgb48le' : 'rgb24', '-y', output],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), DECODE_TIMEOUT_MS);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'ENOENT' ? `Video is decoded with ffmpeg, which is not installed on the server (${env.COHORT_FFMPEG}).` : `ffmpeg could not be started: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (signal === 'SIGKILL') reject(new Error('The video took too long to decode.'));
      else reject(new Error(`The video stream could not be decoded: ${lastLine(stderr) || `ffmpeg exited with ${code ?? signal}`}`));
    });
  });
  // Callers read the frames before they await `done`, which may fail meanwhile: not an unhandled rejection.
  done.catch(() => undefined);
  // ffmpeg may stop reading a corrupt stream early: that is its exit status's to report, not a write error's.
  child.stdin.on('error', () => {});
  child.stdin.end(stream);
  return { stdout: child.stdout, done };
}

/** The asked frames (numbered from 1) of a video stream, keeping only those in memory. */
export async function decodeVideoFrames(stream: Uint8Array, header: VideoHeader, wanted: readonly number[]): Promise<Buffer[]> {
  const size = decodedFrameBytes(header);
  const { stdout: frames, done } = runFfmpeg(stream, header, 'pipe:1');
  const want = new Set(wanted);
  const last = Math.max(...wanted);
  const kept = new Map<number, Buffer>();
  let current = Buffer.alloc(size);
  let filled = 0;
  let frame = 1;
  for await (const chunk of frames as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length && frame <= last; ) {
      const n = Math.min(size - filled, chunk.length - at);
      if (want.has(frame)) chunk.copy(current, filled, at, at + n);
      filled += n;
      at += n;
      if (filled === size) {
        if (want.has(frame)) kept.set(frame, current);
        current = Buffer.alloc(size);
        filled = 0;
        frame += 1;
      }
    }
    if (frame > last) {
      frames.destroy();
      break;
    }
  }
  if (frame <= last) {
    await done;
    throw new Error(`The video stream holds ${frame - 1} frames; the header says ${header.frames}.`);
  }
  // Stopped reading once the last wanted frame came: ffmpeg's exit on the closed pipe is no failure.
  await done.catch(() => undefined);
  return wanted.map((n) => kept.get(n)!);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}

/** How long a check of ffmpeg is believed: health may be polled every few seconds, and starting ffmpeg costs a process. */
const DECODER_CHECK_TTL_MS = 60_000;
let lastCheck: { ffmpeg: string; at: number; ok: Promise<boolean> } | undefined;

/** Whether the server can decode video: ffmpeg answers `-version` (checked at most once a minute). Throws, saying what to install, when it cannot. */
export async function checkVideoDecoder(): Promise<void> {
  if (!lastCheck || lastCheck.ffmpeg !== env.COHORT_FFMPEG || Date.now() - lastCheck.at > DECODER_CHECK_TTL_MS) {
    const ok = new Promise<boolean>((resolve) => {
      const child = spawn(env.COHORT_FFMPEG, ['-hide_banner', '-version'], { stdio: 'ignore' });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
    });
    lastCheck = { ffmpeg: env.COHORT_FFMPEG, at: Date.now(), ok };
  }
  if (!(await lastCheck.ok)) throw new Error(VIDEO_DECODER_MISSING);
}

/** What health says when ffmpeg cannot be run. */
export const VIDEO_DECODER_MISSING = 'ffmpeg is not installed: video series cannot be viewed';
