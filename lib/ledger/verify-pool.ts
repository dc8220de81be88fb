import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Snapshot } from '@/lib/db/read-snapshot';
import { log } from '@/lib/log/logger';
import { rangeOutcome, verifyEntryRange, type EntryRange, type RangeOutcome } from './verify-entries';

/** What a worker needs for one verification: the snapshot to open, and how to cut its ranges. */
export type WorkerJob = { databaseUrl: string; snapshotId: string | null; batchSize: number; alignLevel: number };

/** Main thread → worker: a job, then the ranges of that job one at a time, then null (the job is over). */
export type WorkerRequest = WorkerJob | EntryRange | null;

export type WorkerReply = { kind: 'ready' } | { kind: 'progress'; entries: number } | { kind: 'range'; result: RangeOutcome } | { kind: 'done' };

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
  const job: WorkerJob = { databaseUrl, snapshotId: canStart ? await db.exportId() : null, batchSize, alignLevel };
  const pool = canStart ? Array.from({ length: workers }, () => acquireWorker()) : [];
  const jobs = pool.map((worker) => worker.run(job, { take, record, onEntries }));
  try {
    const verifiedByWorkers = await Promise.all([...jobs, mainThread || pool.length === 0 ? here().then(() => false) : false]);
    threads += verifiedByWorkers.filter(Boolean).length;
    // A worker that could not start took no range: whatever is left is verified here.
    await here();
  } finally {
    // Workers that finished their part wait for the next verification; after an error, no worker
    // goes on with ranges nobody will read.
    for (const worker of pool) worker.release();
  }
  return { outcomes: outcomes.sort((a, b) => a.begin - b.begin), threads };
}

type JobHooks = { take: () => EntryRange | null; record: (o: RangeOutcome) => void; onEntries: (entries: number) => void };

/**
 * A verification worker thread, kept for later verifications once its job is done: starting one
 * (loading the sources through tsx) costs about as much as verifying 40,000 entries, and a fresh
 * thread's first ranges run before its JIT has warmed up. Idle, it does not keep the process alive,
 * and it is let go after a while.
 */
class VerifyWorker {
  readonly #worker: Worker;
  /** Whether it has ever opened a snapshot: an error before then means it could not start at all. */
  #started = false;
  /** Whether its current job ended cleanly (it said `done`): only then can it take another. */
  #reusable = true;
  #idleTimer: NodeJS.Timeout | null = null;

  constructor() {
    // The worker runs the TypeScript sources as they are, through tsx (a dependency: setup and the CLI use it too).
    const bootstrap = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(WORKER_FILE).href)}, ${JSON.stringify(import.meta.url)}))`;
    this.#worker = new Worker(bootstrap, { eval: true });
    // Between jobs nobody else listens: a worker that dies idle is simply not used again.
    this.#worker.on('error', () => {}).on('exit', () => {
      this.#reusable = false;
      this.#forget();
    });
  }

  /** Verifies ranges from `take` until there are none left; resolves whether it verified any. */
  run(job: WorkerJob, { take, record, onEntries }: JobHooks): Promise<boolean> {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#reusable = false;
    const worker = this.#worker;
    worker.ref();
    return new Promise<boolean>((resolve, reject) => {
      let verified = 0;
      let holding = false;
      const finish = (settle: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        settle();
      };
      const next = () => {
        const range = take();
        holding = range !== null;
        worker.postMessage(range satisfies WorkerRequest);
      };
      const onMessage = (message: WorkerReply) => {
        if (message.kind === 'progress') return onEntries(message.entries);
        if (message.kind === 'done') {
          this.#reusable = true;
          return finish(() => resolve(verified > 0));
        }
        if (message.kind === 'range') {
          record(message.result);
          verified++;
        }
        this.#started = true;
        next();
      };
      const onError = (err: Error) => {
        this.#reusable = false;
        if (this.#started) return finish(() => reject(err));
        log.warn('ledger verification: a worker thread could not start; verifying on fewer threads', { err });
        finish(() => resolve(false));
      };
      const onExit = () => {
        this.#reusable = false;
        // A range it took and never reported would leave a hole in the tree.
        finish(() => (holding ? reject(new Error('a ledger verification worker exited in the middle of a range')) : resolve(verified > 0)));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(job satisfies WorkerRequest);
    });
  }

  /** Back to the idle workers if its job ended cleanly and there is room; terminated otherwise. */
  release(): void {
    if (!this.#reusable || idle.length >= os.availableParallelism()) {
      void this.#worker.terminate();
      return;
    }
    this.#worker.unref();
    this.#idleTimer = setTimeout(() => {
      this.#forget();
      void this.#worker.terminate();
    }, IDLE_MS).unref();
    idle.push(this);
  }

  #forget(): void {
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
  }
}

/** How long an idle worker waits for the next verification (the web page's button, the next run). */
const IDLE_MS = 60_000;
const idle: VerifyWorker[] = [];

let started = 0;

function acquireWorker(): VerifyWorker {
  const reused = idle.pop();
  if (reused) return reused;
  started++;
  return new VerifyWorker();
}

/** How many verification worker threads were ever started in this process, and how many wait idle now. */
export function verifyWorkerCounts(): { started: number; idle: number } {
  return { started, idle: idle.length };
}
