/**
 * patient.download: a patient's study as a zip of its original files with a DICOMDIR, through the real
 * route (GET /api/me/studies/[studyId]/download with the patient's session cookie), in-process, each
 * response read to its last byte:
 * - throughput of a 300-instance CT (~150 MiB) in MiB/s of the response, median of 9 runs after two
 *   warm-ups, vs reading the same 300 stored files from disk in the same run (sequentially, as the zip
 *   does: whole files with readFile, or streamed with createReadStream; the faster of the two);
 * - peak RSS of a process of its own (a fresh heap) downloading a 900-instance study vs one
 *   downloading a 300-instance study: the download streams, so the ratio should stay close to 1.
 * The same file is the child: with PATIENT_DOWNLOAD_CHILD set it downloads one study and prints
 * RSS {...}.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entry, report } from './harness';

const MiB = 1024 * 1024;
const THROUGHPUT_INSTANCES = 300;
const RUNS = 9;
const WARM_UPS = 2;
/** Study sizes of the RSS children, and runs of each (the median is reported). */
const SMALL = 300;
const LARGE = 900;
const RSS_RUNS = 3;

type ChildResult = { bytes: number; maxRss: number; startRss: number; peakRss: number; ms: number };

const downloadRoute = () => import('../app/api/me/studies/[studyId]/download/route');

/** Downloads a study through the route, reading the body chunk by chunk and keeping nothing; its byte count. */
async function download(GET: Awaited<ReturnType<typeof downloadRoute>>['GET'], studyId: string, cookie: string): Promise<number> {
  const req = new Request(`http://localhost:3000/api/me/studies/${studyId}/download`, { headers: { cookie } });
  const res = await GET(req, { params: Promise.resolve({ studyId }) });
  if (res.status !== 200) throw new Error(`download of study ${studyId} failed: ${res.status} ${await res.text()}`);
  const announced = Number(res.headers.get('content-length'));
  const reader = res.body!.getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
  if (bytes !== announced) throw new Error(`download of study ${studyId} gave ${bytes} bytes, but Content-Length said ${announced}`);
  return bytes;
}

if (process.env.PATIENT_DOWNLOAD_CHILD) {
  // ---- child: one download in a fresh process, its RSS sampled every 20 ms ----
  const { studyId, cookie } = JSON.parse(process.env.PATIENT_DOWNLOAD_CHILD) as { studyId: string; cookie: string };
  const { closeDb, getDb } = await import('../lib/db/client');
  const { flushAccessLog } = await import('../lib/access-log/record-access');
  const { GET } = await downloadRoute();
  await getDb().user.count(); // connects: the database's memory is not the download's
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const bytes = await download(GET, studyId, cookie);
  const ms = performance.now() - t;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  clearInterval(sampler);
  await flushAccessLog();
  await closeDb();
  const result: ChildResult = { bytes, maxRss: process.resourceUsage().maxRSS * 1024, startRss, peakRss, ms };
  process.stdout.write(`RSS ${JSON.stringify(result)}\n`);
} else {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-patient-download-'));
  try {
    await main(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(dataDir: string) {
  process.env.COHORT_DATA_DIR = dataDir;
  process.env.DATABASE_URL = `file:${path.join(dataDir, 'cohort.db')}`;

  const { migrateDatabase } = await import('../lib/db/migrate');
  const { closeDb, getDb } = await import('../lib/db/client');
  const { ingestFiles } = await import('../lib/dicom/ingest-files');
  const { syntheticCtSeries } = await import('../lib/dicom/synthetic-ct');
  const { getBlobStore } = await import('../lib/storage/get-blob-store');
  const { flushAccessLog } = await import('../lib/access-log/record-access');
  const { GET } = await downloadRoute();
  const { signInOrThrow } = await import('../tests/helpers/api');
  const { makeUser } = await import('../tests/helpers/users');
  await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });

  const admin = await makeUser(['admin']);
  const patientUser = await makeUser(['patient']);
  /** Ingests a CT of `slices` instances for its own patient, linked to the patient user; its study id. */
  async function study(slices: number, n: number): Promise<string> {
    const id = `BENCH-DL-${n}`;
    const files = syntheticCtSeries({ slices, patient: { name: `Bench^Download${n}`, id, birthDate: '19700101', sex: 'O' }, seed: n });
    const outcomes = await ingestFiles((async function* () { for (const body of files) yield { body }; })(), { actorUserId: admin.id });
    const stored = outcomes.filter((o) => o.status === 'stored').length;
    if (stored !== slices) throw new Error(`ingest stored ${stored} of ${slices} files`);
    const row = await getDb().study.findFirstOrThrow({ where: { patient: { patientKey: id } } });
    await getDb().patientLink.create({ data: { patientId: row.patientId, userId: patientUser.id } });
    return row.id;
  }
  let t = performance.now();
  const studyId = await study(THROUGHPUT_INSTANCES, 1);
  const largeId = await study(LARGE, 2);
  process.stderr.write(`ingested ${THROUGHPUT_INSTANCES} + ${LARGE} instances in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const session = await signInOrThrow(patientUser.email, patientUser.password);

  // ---- throughput: the route vs reading the stored files ----
  const store = getBlobStore();
  const instances = await getDb().instance.findMany({
    where: { series: { studyId } },
    orderBy: [{ instanceNumber: 'asc' }, { createdAt: 'asc' }],
    select: { sha256: true, size: true },
  });
  if (instances.length !== THROUGHPUT_INSTANCES) throw new Error(`expected ${THROUGHPUT_INSTANCES} instances, found ${instances.length}`);
  const paths = instances.map((i) => store.pathOf(i.sha256));
  const fileBytes = instances.reduce((n, i) => n + i.size, 0);
  const readWhole = async () => {
    let n = 0;
    for (const p of paths) n += (await readFile(p)).byteLength;
    if (n !== fileBytes) throw new Error(`read ${n} bytes from disk, expected ${fileBytes}`);
  };
  const readStreamed = async () => {
    let n = 0;
    for (const p of paths) for await (const chunk of createReadStream(p)) n += (chunk as Buffer).byteLength;
    if (n !== fileBytes) throw new Error(`streamed ${n} bytes from disk, expected ${fileBytes}`);
  };

  // Warm-ups: the route, both readers (and the page cache, for all three alike).
  let zipBytes = 0;
  for (let i = 0; i < WARM_UPS; i++) {
    zipBytes = await download(GET, studyId, session.cookie);
    await readWhole();
    await readStreamed();
  }
  const times = { zip: [] as number[], readFile: [] as number[], stream: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await download(GET, studyId, session.cookie);
    times.zip.push(performance.now() - t);
    t = performance.now();
    await readWhole();
    times.readFile.push(performance.now() - t);
    t = performance.now();
    await readStreamed();
    times.stream.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const zipMiBs = zipBytes / MiB / (median(times.zip) / 1000);
  const readFileMiBs = fileBytes / MiB / (median(times.readFile) / 1000);
  const streamMiBs = fileBytes / MiB / (median(times.stream) / 1000);
  process.stderr.write(
    `zip ${(zipBytes / MiB).toFixed(1)} MiB: ${times.zip.map((x) => x.toFixed(0)).join(' ')} ms → ${zipMiBs.toFixed(0)} MiB/s\n` +
      `readFile ${(fileBytes / MiB).toFixed(1)} MiB: ${times.readFile.map((x) => x.toFixed(0)).join(' ')} ms → ${readFileMiBs.toFixed(0)} MiB/s\n` +
      `createReadStream: ${times.stream.map((x) => x.toFixed(0)).join(' ')} ms → ${streamMiBs.toFixed(0)} MiB/s\n`,
  );
  await flushAccessLog();
  const logged = await getDb().studyAccess.count({ where: { studyId, userId: patientUser.id, how: 'download', outcome: 'allowed' } });
  if (logged === 0) throw new Error('the downloads wrote no access log row');

  // ---- peak RSS, each download in a process of its own ----
  function child(id: string): ChildResult {
    const run = spawnSync(process.execPath, ['--expose-gc', path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), fileURLToPath(import.meta.url)], {
      encoding: 'utf8',
      env: { ...process.env, PATIENT_DOWNLOAD_CHILD: JSON.stringify({ studyId: id, cookie: session.cookie }) },
      maxBuffer: 16 * MiB,
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RSS '));
    if (run.status !== 0 || !line) throw new Error(`RSS child for study ${id} failed (status ${run.status}): ${run.stdout}${run.stderr}`);
    return JSON.parse(line.slice(4)) as ChildResult;
  }
  const rss = { small: [] as ChildResult[], large: [] as ChildResult[] };
  for (let i = 0; i < RSS_RUNS; i++) {
    rss.small.push(child(studyId));
    rss.large.push(child(largeId));
  }
  for (const [size, results] of [[SMALL, rss.small], [LARGE, rss.large]] as const) {
    for (const r of results) {
      process.stderr.write(
        `RSS child, ${size} instances (${(r.bytes / MiB).toFixed(0)} MiB in ${r.ms.toFixed(0)} ms): maxRSS ${(r.maxRss / MiB).toFixed(1)} MiB, ` +
          `sampled ${(r.startRss / MiB).toFixed(1)} → ${(r.peakRss / MiB).toFixed(1)} MiB (growth ${((r.peakRss - r.startRss) / MiB).toFixed(1)} MiB)\n`,
      );
    }
  }
  if (rss.large[0]!.bytes <= rss.small[0]!.bytes * 2) throw new Error('the large study is not larger');
  const peak = (results: ChildResult[]) => median(results.map((r) => r.maxRss)) / MiB;
  await closeDb();

  report([
    entry(`patient.download: zip + DICOMDIR of a ${THROUGHPUT_INSTANCES}-instance study`, 'MiB/s', zipMiBs, `reading the same ${THROUGHPUT_INSTANCES} files from disk (${readFileMiBs >= streamMiBs ? 'readFile' : 'createReadStream'}, one after another)`, Math.max(readFileMiBs, streamMiBs)),
    entry(`patient.download: peak RSS downloading a ${LARGE}-instance study (lower is better)`, 'MiB', peak(rss.large), `peak RSS downloading a ${SMALL}-instance study (ratio ≈ 1: flat with study size)`, peak(rss.small)),
  ]);
}
