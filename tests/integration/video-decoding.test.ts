/**
 * Video (MPEG-2, H.264, HEVC transfer syntaxes) is decoded on the server with ffmpeg: frames of known
 * colours, encoded by independent encoders, come back as those colours through WADO-RS frames (as
 * explicit VR little endian RGB), rendered frames and thumbnails; the stream is decoded once into the
 * video cache, its first frames served while ffmpeg decodes the rest; a corrupt stream, a header
 * claiming more frames than the stream holds, a video too big for the cache and a missing ffmpeg are
 * clear 406s that leave nothing half-written in the cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as framesRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/route';
import * as frameRenderedRoute from '@/app/dicomweb/studies/[study]/series/[series]/instances/[instance]/frames/[frames]/rendered/route';
import * as seriesThumbnailRoute from '@/app/dicomweb/studies/[study]/series/[series]/thumbnail/route';
import { env } from '@/lib/config/env';
import { bufferSource } from '@/lib/dicom/byte-source';
import { getDb } from '@/lib/db/client';
import { ingestFiles } from '@/lib/dicom/ingest-files';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { bufferReader } from '@/lib/dicom/read-native-frame';
import { videoFramesOf } from '@/lib/dicom/video-frames';
import { ORIGIN, signInOrThrow, type Session } from '../helpers/api';
import { decodePng } from '../helpers/decode-png';
import { responseParts } from '../helpers/multipart';
import { makeReaderOfAllStudies } from '../helpers/projects';
import { makeUser } from '../helpers/users';
import { FRAME_COLOURS, videoFile, VIDEO_CODECS, type Rgb, type VideoCodec } from '../helpers/video-files';

const LITTLE_ENDIAN = { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1' };
const CODECS = Object.keys(VIDEO_CODECS) as VideoCodec[];
const VIDEOS = Object.fromEntries(CODECS.map((codec) => [codec, videoFile({ codec, studyDescription: `Video ${codec}` })])) as Record<VideoCodec, Uint8Array>;
const CORRUPT = videoFile({ codec: 'h264', studyDescription: 'Corrupt video', stream: Buffer.alloc(4000, 0x5a) });
/** Eight frames encoded, twelve claimed. */
const SHORT = videoFile({ codec: 'h264', studyDescription: 'Short video', frames: 12 });
const UNCACHED = videoFile({ codec: 'mpeg2', studyDescription: 'Video decoded without ffmpeg' });
const SLOW = videoFile({ codec: 'h264', studyDescription: 'Video whose decode is still running' });
const LARGE = videoFile({ codec: 'hevc', studyDescription: 'Video too large for the cache' });
const REMOVED = videoFile({ codec: 'mpeg2', studyDescription: 'Video whose cache file is removed while it decodes' });

let reader: Session;
beforeAll(async () => {
  const admin = await makeUser(['admin']);
  const outcomes = await ingestFiles(
    (async function* () {
      for (const body of [...Object.values(VIDEOS), CORRUPT, SHORT, UNCACHED, SLOW, LARGE, REMOVED]) yield { body };
    })(),
    { actorUserId: admin.id },
  );
  expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'stored'));
  const radiologist = await makeReaderOfAllStudies(admin.id);
  reader = await signInOrThrow(radiologist.email, radiologist.password);
});

async function ids(file: Uint8Array) {
  const h = await readDicomHeader(bufferSource(file));
  return { study: h.studyInstanceUid, series: h.seriesInstanceUid, instance: h.sopInstanceUid };
}
function get(route: Record<string, unknown>, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return (route.GET as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(new Request(`${ORIGIN}/dicomweb/x`, { headers: { cookie: reader.cookie, ...headers } }), {
    params: Promise.resolve(params),
  });
}
/** The mean colour of an interleaved RGB frame. */
function meanColour(rgb: Uint8Array): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) sum[i % 3]! += rgb[i]!;
  return sum.map((s) => s / (rgb.length / 3));
}
const near = (actual: number[], expected: Rgb, tolerance = 8) => actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
async function cached(file: Uint8Array): Promise<string[]> {
  const { sha256 } = await getDb().instance.findUniqueOrThrow({ where: { sopInstanceUid: (await ids(file)).instance } });
  return fs.existsSync(env.videoCacheDir) ? fs.readdirSync(env.videoCacheDir).filter((n) => n.startsWith(sha256)) : [];
}

describe('video decoded on the server', () => {
  it.each(CODECS)('%s: every frame comes as explicit little endian RGB, in the colour it was encoded with', async (codec) => {
    const res = await get(framesRoute, { ...(await ids(VIDEOS[codec])), frames: '1,2,3,4,5,6,7,8' }, LITTLE_ENDIAN);
    expect(res.status, await res.clone().text()).toBe(200);
    const frames = await responseParts(res);
    expect(frames.map((f) => [f.type, f.bytes.length])).toEqual(FRAME_COLOURS.map(() => ['application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', 64 * 48 * 3]));
    for (const [i, frame] of frames.entries()) expect(near(meanColour(frame.bytes), FRAME_COLOURS[i]!), `frame ${i + 1}: ${meanColour(frame.bytes)} vs ${FRAME_COLOURS[i]}`).toBe(true);
    // Decoded once, into the cache, whole: the file holds every frame.
    const [file] = await cached(VIDEOS[codec]);
    expect(fs.statSync(`${env.videoCacheDir}/${file}`).size).toBe(8 * 64 * 48 * 3);
  });

  it('asked with any transfer syntax (as Cornerstone asks), frames come decoded; asked as the stored stream, 406 with the reason', async () => {
    const params = { ...(await ids(VIDEOS.h264)), frames: '4' };
    const [frame] = await responseParts(await get(framesRoute, params, { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' }));
    expect(frame!.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(near(meanColour(frame!.bytes), FRAME_COLOURS[3]!)).toBe(true);
    const stored = await get(framesRoute, params, { accept: `multipart/related; type="application/octet-stream"; transfer-syntax=${VIDEO_CODECS.h264.transferSyntaxUid}` });
    expect(stored.status).toBe(406);
    expect((await stored.json()).message).toMatch(/is one stream, not frames one by one/);
  });

  it('renders a frame and the series thumbnail in their colours', async () => {
    const params = await ids(VIDEOS.hevc);
    const res = await get(frameRenderedRoute, { ...params, frames: '3' });
    expect(res.status).toBe(200);
    const png = decodePng(Buffer.from(await res.arrayBuffer()));
    expect([png.width, png.height, png.channels]).toEqual([64, 48, 3]);
    expect(near(meanColour(png.pixels), FRAME_COLOURS[2]!)).toBe(true);
    const thumb = await get(seriesThumbnailRoute, { study: params.study, series: params.series });
    expect(thumb.status).toBe(200);
    expect(decodePng(Buffer.from(await thumb.arrayBuffer())).channels).toBe(3);
  });

  it('decodes frames of a file in memory without the cache (exports)', async () => {
    const file = VIDEOS.mpeg2;
    const h = await readDicomHeader(bufferSource(file));
    const row = { transferSyntaxUid: VIDEO_CODECS.mpeg2.transferSyntaxUid, rows: 48, columns: 64, bitsAllocated: 8, frames: 8, pixelDataOffset: h.pixelData!.offset };
    const [fifth, second] = await videoFramesOf(bufferReader(file), row, [5, 2]);
    expect(near(meanColour(fifth!), FRAME_COLOURS[4]!)).toBe(true);
    expect(near(meanColour(second!), FRAME_COLOURS[1]!)).toBe(true);
  });

  it('a corrupt stream and a header claiming more frames than the stream holds: 406 with the reason, nothing left in the cache', async () => {
    const corrupt = await get(framesRoute, { ...(await ids(CORRUPT)), frames: '1' }, LITTLE_ENDIAN);
    expect(corrupt.status).toBe(406);
    expect((await corrupt.json()).message).toMatch(/^The video could not be decoded \(MPEG-4 AVC\/H.264 High Profile \/ Level 4.1\): /);
    const short = await get(framesRoute, { ...(await ids(SHORT)), frames: '12' }, LITTLE_ENDIAN);
    expect(short.status).toBe(406);
    expect((await short.json()).message).toMatch(/The video stream holds 8 frames; the header says 12\./);
    expect([...(await cached(CORRUPT)), ...(await cached(SHORT))]).toEqual([]);
    expect(fs.readdirSync(env.videoCacheDir).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  /** Runs `test` with an ffmpeg that writes every frame, then holds on for `seconds` before it exits: a decode still running. */
  async function withSlowFfmpeg(seconds: number, test: () => Promise<void>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-ffmpeg-'));
    const slow = path.join(dir, 'ffmpeg');
    fs.writeFileSync(slow, `#!/bin/sh\n${JSON.stringify(env.COHORT_FFMPEG)} "$@"\nstatus=$?\nsleep ${seconds}\nexit $status\n`, { mode: 0o755 });
    const installed = env.COHORT_FFMPEG;
    (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = slow;
    try {
      await test();
    } finally {
      (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = installed;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('serves the frames ffmpeg has written while it is still decoding, then keeps the whole video in the cache', async () => {
    await withSlowFfmpeg(3, async () => {
      const res = await get(framesRoute, { ...(await ids(SLOW)), frames: '2,7' }, LITTLE_ENDIAN);
      expect(res.status).toBe(200);
      const frames = await responseParts(res);
      expect(near(meanColour(frames[0]!.bytes), FRAME_COLOURS[1]!) && near(meanColour(frames[1]!.bytes), FRAME_COLOURS[6]!)).toBe(true);
      // Served from the part file: the cache file is not there yet.
      expect(await cached(SLOW)).toEqual([expect.stringMatching(/\.part$/)]);
      // A second request joins the same decode, and once it ends the cache holds the whole video.
      const [last] = await responseParts(await get(framesRoute, { ...(await ids(SLOW)), frames: '8' }, LITTLE_ENDIAN));
      expect(near(meanColour(last!.bytes), FRAME_COLOURS[7]!)).toBe(true);
      await expect.poll(() => cached(SLOW), { timeout: 10_000 }).toEqual([expect.stringMatching(/-rgb24$/)]);
      expect(fs.statSync(path.join(env.videoCacheDir, (await cached(SLOW))[0]!)).size).toBe(8 * 64 * 48 * 3);
    });
  });

  it('a decode whose file is removed under it (the cache emptied): the video is decoded again, and its frames served', async () => {
    await withSlowFfmpeg(2, async () => {
      const params = { ...(await ids(REMOVED)), frames: '1' };
      expect((await get(framesRoute, params, LITTLE_ENDIAN)).status).toBe(200);
      const [part] = await cached(REMOVED);
      expect(part).toMatch(/\.part$/);
      fs.rmSync(path.join(env.videoCacheDir, part!));
      const res = await get(framesRoute, { ...params, frames: '8' }, LITTLE_ENDIAN);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(near(meanColour((await responseParts(res))[0]!.bytes), FRAME_COLOURS[7]!)).toBe(true);
      await expect.poll(() => cached(REMOVED), { timeout: 10_000 }).toEqual([expect.stringMatching(/-rgb24$/)]);
    });
  });

  it('a video that decodes to more than the cache holds: 406 saying so, and no decode started', async () => {
    const limit = env.COHORT_VIDEO_CACHE_MB;
    // The clip decodes to 72 KiB; the setting takes whole MiB, so the test sets a fraction of one below that.
    (env as { COHORT_VIDEO_CACHE_MB: number }).COHORT_VIDEO_CACHE_MB = 0.05;
    try {
      const res = await get(framesRoute, { ...(await ids(LARGE)), frames: '1' }, LITTLE_ENDIAN);
      expect(res.status).toBe(406);
      expect((await res.json()).message).toBe(
        'The video could not be decoded (HEVC/H.265 Main Profile / Level 5.1): it decodes to 72 KiB, more than the video cache holds (51 KiB): raise COHORT_VIDEO_CACHE_MB to view it.',
      );
      expect(await cached(LARGE)).toEqual([]);
    } finally {
      (env as { COHORT_VIDEO_CACHE_MB: number }).COHORT_VIDEO_CACHE_MB = limit;
    }
  });

  it('without ffmpeg: a cached video still plays, another (or one decoded from memory) says what to install', async () => {
    const installed = env.COHORT_FFMPEG;
    (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = '/nonexistent/ffmpeg';
    try {
      const [frame] = await responseParts(await get(framesRoute, { ...(await ids(VIDEOS.h264)), frames: '8' }, LITTLE_ENDIAN));
      expect(near(meanColour(frame!.bytes), FRAME_COLOURS[7]!)).toBe(true);
      const missing = await get(framesRoute, { ...(await ids(UNCACHED)), frames: '1' }, LITTLE_ENDIAN);
      expect(missing.status).toBe(406);
      expect((await missing.json()).message).toMatch(/decoded with ffmpeg, which is not installed on the server \(\/nonexistent\/ffmpeg\)/);
      // Exports decode from memory: the same reason.
      const h = await readDicomHeader(bufferSource(UNCACHED));
      const row = { transferSyntaxUid: VIDEO_CODECS.mpeg2.transferSyntaxUid, rows: 48, columns: 64, bitsAllocated: 8, frames: 8, pixelDataOffset: h.pixelData!.offset };
      await expect(videoFramesOf(bufferReader(UNCACHED), row, [1])).rejects.toThrow(/not installed on the server/);
    } finally {
      (env as { COHORT_FFMPEG: string }).COHORT_FFMPEG = installed;
    }
  });
});
