import { CarWriter } from '@ipld/car';
import * as dagPb from '@ipld/dag-pb';
import { FsBlockstore } from 'blockstore-fs';
import type { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { AppError } from '@/lib/errors/app-error';
import { parseCid } from './parse-cid';

/**
 * The DAG under `root` as a CAR, read straight from an on-disk blockstore (an IPFS repository's
 * `blocks/`) with no node and no network: dag-pb blocks are followed to their links, raw leaves end
 * a branch. A block the store lacks ends the stream with NOT_FOUND naming it. Blocks are not checked
 * here: whoever imports the CAR checks each against its CID (HeliaBackend.importCar does). Helia's
 * own CAR export is not used: offline, it reports a missing block as an unhandled rejection and ends
 * the stream as if complete.
 */
export async function* repositoryCar(blocksDir: string, root: string): AsyncGenerator<Uint8Array> {
  const store = new FsBlockstore(blocksDir);
  await store.open();
  const rootCid = parseCid(root);
  const { writer, out } = CarWriter.create([rootCid]);
  let failure: unknown = null;
  // Written while the caller reads: a CarWriter's output is only drained by reading it.
  const writing = (async () => {
    try {
      const seen = new Set<string>();
      const pending: CID[] = [rootCid];
      while (pending.length > 0) {
        const cid = pending.pop()!;
        const key = cid.toString();
        // Identity CIDs carry their bytes inside them; no store holds them.
        if (seen.has(key) || cid.multihash.code === identity.code) continue;
        seen.add(key);
        const bytes = await readBlock(store, cid);
        await writer.put({ cid, bytes });
        if (cid.code !== dagPb.code) continue;
        let links: CID[];
        try {
          links = dagPb.decode(bytes).Links.map((link) => link.Hash);
        } catch {
          throw new AppError('BAD_REQUEST', `Block ${cid} is not valid dag-pb.`);
        }
        // Reversed onto the stack: the CAR then lists blocks in link order, depth first.
        for (const link of links.reverse()) pending.push(link);
      }
    } catch (err) {
      failure = err;
    } finally {
      await writer.close();
    }
  })();
  try {
    yield* out;
    await writing;
    if (failure) throw failure;
  } finally {
    await store.close();
  }
}

async function readBlock(store: FsBlockstore, cid: CID): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of store.get(cid)) chunks.push(chunk);
  } catch (err) {
    if ((err as Error).name === 'NotFoundError') throw new AppError('NOT_FOUND', `Block ${cid} is missing.`);
    throw err;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
