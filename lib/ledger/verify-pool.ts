import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Snapshot } from '@/lib/db/read-snapshot';
import { log } from '@/lib/log/logger';
import { rangeOutcome, verifyEntryRange, type EntryRange, type RangeOutcome } from './verify-entries';

export type WorkerData = { databaseUrl: string; snapshotId: string | null; batchSize: number; alignLevel: number };

export type WorkerReply = { kind: 'ready' } | { kind: 'progress'; entries: number } | { kind: 'range'; result: RangeOutcome };

export type ParallelOptions = {
  databaseUrl: string;
  total: number;
  alignLevel: number;
  workers: number;
  /** Whether this thread verifies ranges too, or only hands them out (a server keeping its thread free). */
  mainThread: boolean;
  batchSize: number;
  onEntries: (entries: number) => void;
};

const WORKER_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verify-worker.ts');

/**
 * Verifies [0, total) in ranges of 2^alignLevel entries on worker threads (and this one), each
 * range taken by whichever thread is free; ranges beyond a failure already found are skipped.
 * Returns the outcomes in sequence order, and how many threads verified any.
 */
export async function verifyRangesInParallel(
  db: Snapshot,
  { databaseUrl, total, alignLevel, workers, mainThread, batchSize, onEntries }: ParallelOptions,
): Promise<{ outcomes: RangeOutcome[]; threads: number }> {
  const rangeSize = 2 ** alignLevel;
  const ranges: EntryRange[] = [];
  for (let begin = 0; begin < total; begin += rangeSize) ranges.push({ begin, end: Math.min(total, begin + rangeSize) });
  const outcomes: RangeOutcome[] = [];
  let failedAt = Infinity;
  let threads = 0;
  const take = (): EntryRange | null => {
    const range = ranges.shift();
    return range && range.begin <= failedAt ? range : null;
  };
  const record = (outcome: RangeOutcome) => {
    outcomes.push(outcome);
    if (outcome.failure) failedAt = Math.min(failedAt, outcome.failure.seq ?? outcome.begin);
  };
  const here = async () => {
    let verified = 0;
    for (let range = take(); range; range = take()) {
      record(rangeOutcome(await verifyEntryRange(db, range, { batchSize, onBatch: onEntries }), alignLevel));
      verified++;
    }
    if (verified > 0) threads++;
  };

  const canStart = workers > 0 && existsSync(WORKER_FILE);
  // The snapshot is exported only when there are workers to open it.
  const data: WorkerData = { databaseUrl, snapshotId: canStart ? await db.exportId() : null, batchSize, alignLevel };
  const pool = canStart ? Array.from({ length: workers }, () => startWorker(data, { take, record, onEntries })) : [];
  try {
    const verifiedByWorkers = await Promise.all([...pool.map((w) => w.done), mainThread || pool.length === 0 ? here().then(() => false) : false]);
    threads += verifiedByWorkers.filter(Boolean).length;
    // A worker that could not start took no range: whatever is left is verified here.
    await here();
  } finally {
    // After an error, no worker goes on with ranges nobody will read.
    for (const { worker } of pool) void worker.terminate();
  }
  return { outcomes: outcomes.sort((a, b) => a.begin - b.begin), threads };
}

/** Starts a worker that takes ranges until they run out; `done` says whether it verified any. */
function startWorker(
  data: WorkerData,
  { take, record, onEntries }: { take: () => EntryRange | null; record: (o: RangeOutcome) => void; onEntries: (entries: number) => void },
): { worker: Worker; done: Promise<boolean> } {
  // The worker runs the TypeScript sources as they are, through tsx (a dependency: setup and the CLI use it too).
  const bootstrap = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(WORKER_FILE).href)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data });
  const done = new Promise<boolean>((resolve, reject) => {
    let started = false;
    let verified = 0;
    worker.on('message', (message: WorkerReply) => {
      if (message.kind === 'progress') return onEntries(message.entries);
      if (message.kind === 'range') {
        record(message.result);
        verified++;
      }
      started = true;
      worker.postMessage(take());
    });
    worker.on('error', (err) => {
      if (started) return reject(err);
      log.warn('ledger verification: a worker thread could not start; verifying on fewer threads', { err });
      resolve(false);
    });
    worker.on('exit', () => resolve(verified > 0));
  });
  return { worker, done };
}
