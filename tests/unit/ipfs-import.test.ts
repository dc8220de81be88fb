/**
 * The DAG both backends publish, computed three independent ways: Cohort's importDirectory, the importer
 * with every option spelled out instead of the profile name, and (where the profile allows) plain SHA-256
 * or Debian's Rust `ipfs-cid`.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';
import { describe, expect, it } from 'vitest';
import { fileCid } from '@/lib/ipfs/file-cid';
import { importDirectory } from '@/lib/ipfs/import-directory';
import { entriesOf, MiB, SAMPLE_FILES, seededBytes } from '../helpers/ipfs';

const blockSink = () => {
  const blocks = new Map<string, Uint8Array>();
  return { blocks, put: async (cid: CID, bytes: Uint8Array) => (blocks.set(cid.toString(), bytes), cid) };
};

const FILES = SAMPLE_FILES;
const bytes = seededBytes;

describe('importDirectory (the DAG every backend publishes)', () => {
  it('refuses a file listed twice, or a file that is also a directory, before writing a block', async () => {
    for (const entries of [
      [{ path: 'a.txt', content: new Uint8Array(1) }, { path: 'a.txt', content: new Uint8Array(2) }],
      [{ path: 'a', content: new Uint8Array(1) }, { path: 'a/b', content: new Uint8Array(2) }],
      [{ path: 'a/b', content: new Uint8Array(1) }, { path: 'a', content: new Uint8Array(2) }],
      [{ path: '../escape', content: new Uint8Array(1) }],
    ]) {
      const sink = blockSink();
      await expect(importDirectory(entries, sink)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('gives the CIDs of the importer run with CIDv1, raw leaves, 1 MiB chunks, 1024-link balanced layout', async () => {
    const sink = blockSink();
    const progress: number[] = [];
    const result = await importDirectory(entriesOf(FILES), sink, { onProgress: (n) => progress.push(n) });

    const expected = new Map<string, string>();
    for await (const r of importer(FILES, { put: async (cid) => cid }, {
      cidVersion: 1,
      rawLeaves: true,
      chunker: fixedSize({ chunkSize: MiB }),
      layout: balanced({ maxChildrenPerNode: 1024 }),
      shardSplitStrategy: 'block-bytes',
      wrapWithDirectory: true,
    })) {
      expected.set(r.path ?? '', r.cid.toString());
    }
    expect(result.cid).toBe(expected.get(''));
    expect(result.cid).toMatch(/^bafybei/);
    expect(result.files).toEqual(FILES.map((f) => ({ path: f.path, cid: expected.get(f.path), size: f.content.length })));
    expect(progress.at(-1)).toBe(FILES.reduce((n, f) => n + f.content.length, 0));
    // Every stored block hashes to its CID.
    for (const [cid, block] of sink.blocks) {
      expect(createHash('sha256').update(block).digest('hex')).toBe(Buffer.from(CID.parse(cid).multihash.digest).toString('hex'));
    }
  });

  it('stores a file of up to 1 MiB as one raw block: its CID is CIDv1(raw, SHA-256 of the bytes)', async () => {
    const content = randomBytes(MiB);
    const result = await importDirectory([{ path: 'one.bin', content }], blockSink());
    const digest = createDigest(0x12, createHash('sha256').update(content).digest());
    expect(result.files[0]?.cid).toBe(CID.createV1(raw.code, digest).toString());
  });

  it("fileCid gives each file the CID the add gives it, from a digest already known up to 1 MiB and from the importer past it", async () => {
    const sizes = [0, 1, 1000, MiB - 1, MiB, MiB + 1, 3 * MiB + 5];
    const files = sizes.map((size, i) => ({ path: `f${i}.bin`, content: bytes(size, i + 11) }));
    const added = await importDirectory(entriesOf(files), blockSink());
    for (const [i, f] of files.entries()) {
      const digest = createHash('sha256').update(f.content).digest();
      expect(await fileCid(f.content)).toBe(added.files[i]!.cid);
      expect(await fileCid(f.content, digest)).toBe(added.files[i]!.cid);
    }
  });

  it('an empty directory has the well-known empty UnixFS directory CID', async () => {
    const result = await importDirectory([], blockSink());
    expect(result).toEqual({ cid: 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354', files: [] });
  });
});

/** Debian's `ipfs-cid` (a Rust implementation, binary `ipfs_cid`) computes only the classic CIDv0 DAG. */
const ipfsCid = ['ipfs_cid', 'ipfs-cid'].find((bin) => {
  try {
    execFileSync('which', [bin], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

describe.runIf(ipfsCid)('the importer against Debian’s ipfs-cid', () => {
  it('builds the same multi-chunk file DAG as an independent implementation', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-ipfs-cid-'));
    try {
      for (const [size, seed] of [[700_000, 7], [3 * MiB + 5, 8], [10, 9]] as const) {
        const content = bytes(size, seed);
        const file = path.join(dir, `f-${seed}`);
        writeFileSync(file, content);
        const theirs = JSON.parse(execFileSync(ipfsCid!, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { CIDv0: string };
        let ours: string | undefined;
        for await (const r of importer([{ content }], { put: async (cid) => cid }, { profile: 'unixfs-v0-2015' })) ours = r.cid.toString();
        expect(ours, `${size} bytes`).toBe(theirs.CIDv0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
