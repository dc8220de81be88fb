/**
 * Ingest benchmarks, each beside baselines measured in the same run:
 * - ingest.stow: a 300-slice 512² CT (~150 MiB) stored over STOW-RS on loopback (our multipart
 *   reader, validation, staging, one transaction per 100 files, ledger entries), sent by a client in
 *   a process of its own (bench/stow-client.ts), median of 3 runs, each a new series. Baselines: plain
 *   SHA-256 of the same bytes in memory; Orthanc's STOW-RS (Debian's orthanc + orthanc-dicomweb,
 *   default settings) storing the same files from the same client; and the same request into an HTTP
 *   server that only discards it, which is the ceiling loopback HTTP sets on this machine;
 * - ingest.memory: peak RSS growth of a process ingesting 1 GiB of DICOM from a folder vs the size of
 *   what it ingested (the pipeline streams: it should hold little of it at once).
 * The HTTP server here is node:http handing the request to the STOW-RS handler in lib/ (no Next, no
 * session check), so the figure is the ingest pipeline's, not the framework's. Both servers get one
 * small warm-up request first, as a running server has had.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { startOrthanc } from '../tests/helpers/orthanc';
import { entry, report, type BenchEntry } from './harness';

const MIB = 1024 * 1024;
const run = promisify(execFile);
const RUNS = 3;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-ingest-'));
process.env.COHORT_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, 'cohort.db')}`;

const { migrateDatabase } = await import('../lib/db/migrate');
const { closeDb, getDb } = await import('../lib/db/client');
const { syntheticCtSeries } = await import('../lib/dicom/synthetic-ct');
const { storeStowRequest } = await import('../lib/dicomweb/stow-rs');
await migrateDatabase({ databaseUrl: process.env.DATABASE_URL });
const actorUserId = 'bench-admin';

// ---- ingest.stow ----
/** A folder of one new series (new UIDs every call). */
function seriesFolder(name: string, slices: number): { folder: string; bytes: Buffer[] } {
  const folder = path.join(dataDir, name);
  mkdirSync(folder);
  const bytes = syntheticCtSeries({ slices, spacing: 1.25 }).map((f) => Buffer.from(f));
  bytes.forEach((f, i) => writeFileSync(path.join(folder, `${String(i).padStart(4, '0')}.dcm`), f));
  return { folder, bytes };
}

/** Sends a folder with bench/stow-client.ts; its wall time in ms. (Not spawnSync: our server answers on this event loop.) */
async function stow(folder: string, url: string, authorization?: string): Promise<number> {
  const { stdout, stderr } = await run(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'bench/stow-client.ts', folder, url, ...(authorization ? [authorization] : [])], {
    encoding: 'utf8',
    maxBuffer: 16 * MIB,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('STOW '));
  const result = line ? (JSON.parse(line.slice(5)) as { ms: number; status: number }) : null;
  if (result?.status !== 200) throw new Error(`STOW to ${url} failed: ${stdout}${stderr}`);
  return result.ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cohort = http.createServer(async (req, res) => {
  try {
    const { status, json } = await storeStowRequest({
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      contentType: req.headers['content-type'] ?? null,
      actorUserId,
    });
    res.writeHead(status, { 'content-type': 'application/dicom+json' }).end(JSON.stringify(json));
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
const discarding = http.createServer(async (req, res) => {
  for await (const chunk of req) void chunk;
  res.writeHead(200).end('{}');
});
const urlOf = async (server: http.Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/dicomweb/studies`;
};
const [cohortUrl, discardUrl] = [await urlOf(cohort), await urlOf(discarding)];
const orthanc = existsSync('/usr/sbin/Orthanc') ? await startOrthanc({ quiet: true }) : null;
if (!orthanc) process.stderr.write('Orthanc is not installed (apt-get install orthanc orthanc-dicomweb): no Orthanc baseline.\n');

const warmUp = seriesFolder('warm-up', 2).folder;
await stow(warmUp, cohortUrl);
if (orthanc) await stow(warmUp, `${orthanc.dicomWebUrl}/studies`, orthanc.authorization);

const times = { cohort: [] as number[], orthanc: [] as number[], discard: [] as number[] };
let seriesBytes: Buffer[] = [];
for (let run = 0; run < RUNS; run++) {
  const { folder, bytes } = seriesFolder(`run-${run}`, 300);
  seriesBytes = bytes;
  times.discard.push(await stow(folder, discardUrl));
  times.cohort.push(await stow(folder, cohortUrl));
  if (orthanc) times.orthanc.push(await stow(folder, `${orthanc.dicomWebUrl}/studies`, orthanc.authorization));
  rmSync(folder, { recursive: true });
}
cohort.close();
discarding.close();
await orthanc?.stop();
if ((await getDb().instance.count()) !== RUNS * 300 + 2) throw new Error('STOW did not store every file');

const hashRuns: number[] = [];
for (let run = 0; run < 3; run++) {
  const t = performance.now();
  const hash = createHash('sha256');
  for (const f of seriesBytes) hash.update(f);
  hash.digest();
  hashRuns.push(performance.now() - t);
}
await closeDb();
const totalBytes = seriesBytes.reduce((n, f) => n + f.length, 0);
const mibPerSecond = (ms: number) => totalBytes / MIB / (ms / 1000);
const stowName = `ingest.stow: ${seriesBytes.length}-slice 512² CT over STOW-RS on loopback`;
const stowEntries: BenchEntry[] = [
  entry(stowName, 'MiB/s', mibPerSecond(median(times.cohort)), 'SHA-256 of the same bytes in memory', mibPerSecond(median(hashRuns))),
  ...(orthanc ? [entry(stowName, 'MiB/s', mibPerSecond(median(times.cohort)), "Orthanc's STOW-RS of the same files, same client", mibPerSecond(median(times.orthanc)))] : []),
  entry(stowName, 'MiB/s', mibPerSecond(median(times.cohort)), 'the same request into an HTTP server that discards it', mibPerSecond(median(times.discard))),
];

// ---- ingest.memory: 1 GiB from a folder, in a process of its own ----
const folder = path.join(dataDir, 'gigabyte');
mkdirSync(folder);
let written = 0;
for (let series = 0; written < 1024 * MIB; series++) {
  for (const [i, f] of syntheticCtSeries({ slices: 100, seed: series + 2 }).entries()) {
    writeFileSync(path.join(folder, `s${String(series).padStart(3, '0')}-${String(i).padStart(3, '0')}.dcm`), f);
    written += f.length;
  }
}
const child = spawnSync(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'bench/ingest-memory-child.ts', folder], {
  encoding: 'utf8',
  env: { ...process.env, COHORT_DATA_DIR: path.join(dataDir, 'memory'), DATABASE_URL: `file:${path.join(dataDir, 'memory', 'cohort.db')}` },
  maxBuffer: 16 * MIB,
});
const measured = child.stdout.split('\n').find((l) => l.startsWith('RSS '));
if (child.status !== 0 || !measured) throw new Error(`memory child failed: ${child.stdout}${child.stderr}`);
const { peakGrowth, stored } = JSON.parse(measured.slice(4)) as { peakGrowth: number; stored: number };
if (stored * 0 !== 0 || stored < 1) throw new Error('memory child stored nothing');
rmSync(dataDir, { recursive: true, force: true });

report([
  ...stowEntries,
  entry(`ingest.memory: peak RSS growth ingesting ${Math.round(written / MIB)} MiB from a folder`, 'MiB', peakGrowth / MIB, 'the bytes ingested', written / MIB),
]);
