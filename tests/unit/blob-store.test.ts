import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '@/lib/storage/blob-store';

const newStore = () => new LocalBlobStore(mkdtempSync(path.join(os.tmpdir(), 'cohort-blobs-')));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmpFiles = (store: LocalBlobStore) => {
  try {
    return readdirSync(path.join(store.root, 'tmp'));
  } catch {
    return [];
  }
};
async function readAll(stream: AsyncIterable<unknown>) {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('LocalBlobStore', () => {
  it('refuses addresses that are not SHA-256 hex (no path traversal)', async () => {
    const store = newStore();
    for (const bad of ['../../etc/passwd', 'ABC', 'a'.repeat(63), `${'a'.repeat(64)}/..`, 'G'.repeat(64)]) {
      await expect(store.get(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(store.exists(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(store.delete(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('keeps nothing of a stream that exceeds the size limit', async () => {
    const store = newStore();
    const bytes = randomBytes(300_000);
    await expect(store.put(chunked(bytes, 64 * 1024), { maxBytes: 100_000 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(tmpFiles(store)).toEqual([]);
    expect(await store.exists(sha256(bytes))).toBe(false);
  });

  it('keeps nothing of a stream that fails midway (dropped upload)', async () => {
    const store = newStore();
    async function* broken() {
      yield randomBytes(10_000);
      throw new Error('connection reset');
    }
    await expect(store.put(broken())).rejects.toThrow('connection reset');
    expect(tmpFiles(store)).toEqual([]);
  });

  it('NOT_FOUND for a well-formed address it does not hold', async () => {
    await expect(newStore().get('0'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stores a stream under its SHA-256, read-only, and streams it back whole or by range', async () => {
    const store = newStore();
    const bytes = randomBytes(1_000_000);
    const ref = await store.put(Readable.from(chunked(bytes, 65_536)));
    expect(ref).toEqual({ sha256: sha256(bytes), size: bytes.length, created: true });
    const file = store.pathOf(ref.sha256);
    expect(file).toBe(path.join(store.root, 'sha256', ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256));
    expect(statSync(file).mode & 0o222).toBe(0);
    expect((await readAll(await store.get(ref.sha256))).equals(bytes)).toBe(true);
    expect((await readAll(await store.get(ref.sha256, { start: 10, end: 19 }))).equals(bytes.subarray(10, 20))).toBe(true);
    expect(await store.stat(ref.sha256)).toEqual({ sha256: ref.sha256, size: bytes.length });
    expect(tmpFiles(store)).toEqual([]);
  });

  it('accepts web ReadableStreams and byte arrays', async () => {
    const store = newStore();
    const bytes = randomBytes(5000);
    const web = new Blob([bytes]).stream();
    expect((await store.put(web)).sha256).toBe(sha256(bytes));
    expect((await store.put(new Uint8Array(0))).sha256).toBe(sha256(new Uint8Array(0)));
  });

  it('is idempotent: the same content twice, even concurrently, is one blob', async () => {
    const store = newStore();
    const bytes = randomBytes(200_000);
    const results = await Promise.all([1, 2, 3, 4].map(() => store.put(bytes)));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await store.put(bytes)).created).toBe(false);
    expect(readdirSync(path.dirname(store.pathOf(results[0]!.sha256)))).toHaveLength(1);
    expect(tmpFiles(store)).toEqual([]);
  });

  it('stages without publishing until commit, and discard leaves nothing', async () => {
    const store = newStore();
    const a = randomBytes(1000);
    const staged = await store.stage(a);
    expect(await store.exists(staged.sha256)).toBe(false);
    expect(await staged.commit()).toEqual({ created: true });
    expect(await store.exists(staged.sha256)).toBe(true);
    await expect(staged.commit()).rejects.toThrow(/already committed/);
    const b = await store.stage(randomBytes(1000));
    await b.discard();
    expect(await store.exists(b.sha256)).toBe(false);
    expect(tmpFiles(store)).toEqual([]);
  });

  it('deletes, and verify detects a blob whose bytes changed on disk', async () => {
    const store = newStore();
    const ref = await store.put(randomBytes(4096));
    expect(await store.verify(ref.sha256)).toBe(true);
    const file = store.pathOf(ref.sha256);
    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered');
    expect(await store.verify(ref.sha256)).toBe(false);
    expect(await store.delete(ref.sha256)).toBe(true);
    expect(await store.delete(ref.sha256)).toBe(false);
    expect(await store.exists(ref.sha256)).toBe(false);
  });

  it('sweeps temp files left by interrupted writes, but not recent ones', async () => {
    const store = newStore();
    await store.put(randomBytes(10)); // creates tmp/
    const old = path.join(store.root, 'tmp', 'crashed-upload');
    const fresh = path.join(store.root, 'tmp', 'in-progress');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'y');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    expect(await store.sweepTemp()).toBe(1);
    expect(tmpFiles(store)).toEqual(['in-progress']);
  });
});
