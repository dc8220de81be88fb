/**
 * video.decode: frames/s for the first view of a 10 s 640×480 H.264 clip (250 frames) stored in
 * Cohort: the stream gathered from its fragments, decoded by ffmpeg into the video cache, and every
 * frame read back as RGB (lib/dicom/video-frames.ts), vs ffmpeg decoding the same stream to RGB into
 * nothing, in the same run: what our cache and plumbing add to the decoder itself.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, medianMs, report } from './harness';

const FRAMES = 250;
const RUNS = 5;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-video-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'bench.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb, getDb } = await import('../lib/db/client');
const { env } = await import('../lib/config/env');
const { ingestFiles } = await import('../lib/dicom/ingest-files');
const { readDicomHeader } = await import('../lib/dicom/read-header');
const { bufferSource } = await import('../lib/dicom/byte-source');
const { storedVideoFrames } = await import('../lib/dicom/video-frames');
const { videoFile } = await import('../tests/helpers/video-files');
const { createUser } = await import('../lib/users/create-user');

await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });
const { user: admin } = await createUser({ input: { name: 'Bench', email: 'bench@bench.local', roles: ['admin'], password: 'bench-password-1' }, actorId: null, temporary: false });
const stream = execFileSync(
  'ffmpeg',
  ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=25', '-frames:v', String(FRAMES), '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-f', 'h264', 'pipe:1'],
  { maxBuffer: 256 * 1024 ** 2 },
);
const file = videoFile({ codec: 'h264', stream, frames: FRAMES, width: 640, height: 480, studyDescription: 'Bench video' });
const [outcome] = await ingestFiles((async function* () { yield { body: file }; })(), { actorUserId: admin.id });
if (outcome?.status !== 'stored') throw new Error(`the clip was not stored: ${JSON.stringify(outcome)}`);
const row = await getDb().instance.findUniqueOrThrow({ where: { sopInstanceUid: (await readDicomHeader(bufferSource(file))).sopInstanceUid } });
const all = Array.from({ length: FRAMES }, (_, i) => i + 1);

const cacheFile = path.join(env.videoCacheDir, `${row.sha256}-rgb24`);
const firstView = async () => {
  const frames = await storedVideoFrames(row, all);
  if (frames.length !== FRAMES) throw new Error('frames missing');
  // Frames are served as ffmpeg writes them: the run ends when the decode has ended too, and its file is in the cache.
  while (!existsSync(cacheFile)) await new Promise((resolve) => setTimeout(resolve, 2));
};
const ffmpegAlone = () =>
  new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', 'pipe:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
    child.stdin.end(stream);
  });
const emptyCache = async () => rmSync(env.videoCacheDir, { recursive: true, force: true });

await firstView();
await ffmpegAlone();
const ours = await medianMs(RUNS, firstView, emptyCache);
const baseline = await medianMs(RUNS, ffmpegAlone);

report([entry('video.decode', 'frames/s', FRAMES / (ours / 1000), `ffmpeg alone decoding the same ${FRAMES}-frame 640×480 H.264 stream to RGB`, FRAMES / (baseline / 1000))]);
await closeDb();
rmSync(dataDir, { recursive: true, force: true });
