import { createHash } from 'node:crypto';
import { CarBlockIterator } from '@ipld/car/iterator';

/** Deterministic pseudo-random bytes: the same content, so the same CIDs, on every run. */
export function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export const MiB = 1024 * 1024;

/** A dataset-like directory: nested paths, a file of several 1 MiB chunks, one of exactly one chunk, an empty one. */
export const SAMPLE_FILES = [
  { path: 'manifest.json', content: new TextEncoder().encode('{"version":1,"name":"sample"}\n') },
  { path: 'series-1/0001.dcm', content: seededBytes(300_000, 1) },
  { path: 'series-1/0002.dcm', content: seededBytes(2.5 * MiB, 2) },
  { path: 'series-2/labels/seg.nii.gz', content: seededBytes(MiB, 3) },
  { path: 'empty.txt', content: new Uint8Array() },
];

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Content streamed in odd-sized pieces, as a file read from disk or a request body arrives. */
export async function* inPieces(content: Uint8Array, size = 65_537): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
}

export function entriesOf(files: { path: string; content: Uint8Array }[]) {
  return (async function* () {
    for (const f of files) yield { path: f.path, content: inPieces(f.content) };
  })();
}

/**
 * Reads a CARv1 and checks every block against its CID with node:crypto (independently of lib/ipfs).
 * Returns the roots and the blocks by CID.
 */
export async function readVerifiedCar(car: Uint8Array | AsyncIterable<Uint8Array>) {
  const reader = car instanceof Uint8Array ? await CarBlockIterator.fromBytes(car) : await CarBlockIterator.fromIterable(car);
  const blocks = new Map<string, Uint8Array>();
  for await (const { cid, bytes } of reader) {
    if (cid.multihash.code !== 0x12) throw new Error(`block ${cid} is not SHA-256`);
    const digest = createHash('sha256').update(bytes).digest();
    if (!digest.equals(Buffer.from(cid.multihash.digest))) throw new Error(`block ${cid} does not match its CID`);
    blocks.set(cid.toString(), bytes);
  }
  return { roots: (await reader.getRoots()).map(String), blocks };
}
