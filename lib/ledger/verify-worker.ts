/**
 * A ledger verification worker thread (started by verify-pool): for each job, verifies the entry
 * ranges it is sent on its own read connection to the job's snapshot, and sends back each range's
 * Merkle levels, deferred nodes and first failure; then waits for the next job.
 */
import { on } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { withReadSnapshot } from '@/lib/db/read-snapshot';
import { rangeOutcome, verifyEntryRange, type EntryRange } from './verify-entries';
import type { WorkerJob, WorkerReply, WorkerRequest } from './verify-pool';

const port = parentPort!;
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const inbox = on(port, 'message')[Symbol.asyncIterator]();
const receive = async <T extends WorkerRequest>(): Promise<T> => ((await inbox.next()).value as [T])[0];

for (;;) {
  const { databaseUrl, snapshotId, batchSize, alignLevel } = await receive<WorkerJob>();
  await withReadSnapshot(
    databaseUrl,
    async (db) => {
      reply({ kind: 'ready' });
      for (let range = await receive<EntryRange | null>(); range; range = await receive<EntryRange | null>()) {
        const result = rangeOutcome(await verifyEntryRange(db, range, { batchSize, onBatch: (entries) => reply({ kind: 'progress', entries }) }), alignLevel);
        // The levels' memory moves to the main thread rather than being copied.
        reply({ kind: 'range', result }, result.levels.map((level) => level.buffer as ArrayBuffer));
      }
    },
    { snapshotId },
  );
  reply({ kind: 'done' });
}
