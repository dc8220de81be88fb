/**
 * Ingest benchmarks, each beside a baseline measured in the same run:
 * - ingest.stow: a 300-slice 512² CT (~150 MiB) stored over STOW-RS through HTTP on loopback (our
 *   multipart reader, staging, header validation, one transaction per 100 files, ledger entries) vs
 *   plain SHA-256 of the same bytes in memory;
 * - ingest.memory: peak RSS growth of a process ingesting 1 GiB of DICOM from a folder vs the size of
 *   what it ingested (the pipeline streams: it should hold little of it at once).
 * The HTTP server here is node:http handing the request to the STOW-RS handler in lib/ (no Next, no
 * session check), so the figure is the ingest pipeline's, not the framework's.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { entry, report } from './harness';

const MIB = 1024 * 1024;
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
const files = syntheticCtSeries({ slices: 300, spacing: 1.25 });
const boundary = 'cohort-bench-boundary';
const parts: Buffer[] = [];
for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(f), Buffer.from('\r\n'));
parts.push(Buffer.from(`--${boundary}--\r\n`));
const totalBytes = files.reduce((n, f) => n + f.length, 0);

const server = http.createServer(async (req, res) => {
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
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address() as { port: number };
const started = performance.now();
const res = await fetch(`http://127.0.0.1:${port}/dicomweb/studies`, {
  method: 'POST',
  headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` },
  body: Readable.toWeb(Readable.from(parts)) as ReadableStream<Uint8Array>,
  duplex: 'half',
} as RequestInit);
const body = await res.text();
const stowMs = performance.now() - started;
server.close();
if (res.status !== 200 || (await getDb().instance.count()) !== files.length) throw new Error(`STOW failed: ${res.status} ${body.slice(0, 300)}`);

const hashRuns: number[] = [];
for (let run = 0; run < 3; run++) {
  const t = performance.now();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f);
  hash.digest();
  hashRuns.push(performance.now() - t);
}
const hashMs = hashRuns.sort((a, b) => a - b)[1]!;
await closeDb();

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
  entry(`ingest.stow: ${files.length}-slice 512² CT over STOW-RS on loopback`, 'MiB/s', totalBytes / MIB / (stowMs / 1000), 'SHA-256 of the same bytes in memory', totalBytes / MIB / (hashMs / 1000)),
  entry(`ingest.memory: peak RSS growth ingesting ${Math.round(written / MIB)} MiB from a folder`, 'MiB', peakGrowth / MIB, 'the bytes ingested', written / MIB),
]);
