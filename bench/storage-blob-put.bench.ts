/**
 * Blob store ingest throughput: streaming 256 MiB into the content-addressed store (SHA-256 while
 * writing to a temp file, fsync, atomic rename) vs the raw SHA-256 of the same bytes in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '../lib/storage/blob-store';
import { entry, medianMs, report } from './harness';

const MIB = 1024 * 1024;
const SIZE = 256 * MIB;
const CHUNK = 256 * 1024; // what a streamed upload delivers at a time
const RUNS = 3;

const bytes = randomBytes(SIZE);
async function* chunks() {
  for (let i = 0; i < SIZE; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

const root = mkdtempSync(path.join(os.tmpdir(), 'cohort-bench-blobs-'));
const store = new LocalBlobStore(root);
const expected = createHash('sha256').update(bytes).digest('hex');

const hashMs = await medianMs(RUNS, async () => {
  const h = createHash('sha256');
  for (let i = 0; i < SIZE; i += CHUNK) h.update(bytes.subarray(i, i + CHUNK));
  if (h.digest('hex') !== expected) throw new Error('hash mismatch');
});
const putMs = await medianMs(
  RUNS,
  async () => {
    const ref = await store.put(chunks());
    if (ref.sha256 !== expected || !ref.created) throw new Error('store put failed');
  },
  async () => void (await store.delete(expected)),
);
rmSync(root, { recursive: true, force: true });

report([
  entry('blob store put, 256 MiB streamed in 256 KiB chunks', 'MiB/s', SIZE / MIB / (putMs / 1000), 'SHA-256 of the same bytes in memory', SIZE / MIB / (hashMs / 1000)),
]);
