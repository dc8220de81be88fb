/**
 * A ledger verification worker thread (started by verify-ledger's pool): verifies the entry ranges
 * it is sent, on its own read connection to the same snapshot, and sends back each range's Merkle
 * levels, deferred nodes and first failure.
 */
import { on } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { withReadSnapshot } from '@/lib/db/read-snapshot';
import { rangeOutcome, verifyEntryRange, type EntryRange } from './verify-entries';
import type { WorkerData, WorkerReply } from './verify-pool';

const { databaseUrl, snapshotId, batchSize, alignLevel } = workerData as WorkerData;
const port = parentPort!;
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

await withReadSnapshot(
  databaseUrl,
  async (db) => {
    reply({ kind: 'ready' });
    for await (const [range] of on(port, 'message') as AsyncIterable<[EntryRange | null]>) {
      if (!range) break;
      const result = rangeOutcome(await verifyEntryRange(db, range, { batchSize, onBatch: (entries) => reply({ kind: 'progress', entries }) }), alignLevel);
      // The levels' memory moves to the main thread rather than being copied.
      reply({ kind: 'range', result }, result.levels.map((level) => level.buffer as ArrayBuffer));
    }
  },
  { snapshotId },
);
port.close();
