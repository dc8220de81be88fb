import type { GraphNode, GraphWalkerFactory } from 'helia';
import { createUnsafe } from 'multiformats/block';
import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';

/**
 * Walks a DAG whose blocks are all in the local blockstore, for pinning what was just added or
 * unpinning: Helia's default walker reads every block to find its links, including raw leaves, which
 * have none and are nearly all of a dataset's bytes (a 1 GiB version read back, in 64 KiB pieces,
 * only to be pinned). Here a raw leaf is only checked to be present (`has`); the nodes that link
 * (dag-pb directories and file roots) are read and decoded as usual. A pin only records each block's
 * CID, which is all it takes from the nodes yielded.
 */
export function localDagWalker({ requireLeaves }: { requireLeaves: boolean }): GraphWalkerFactory {
  return ({ blockstore, getCodec }) => ({
    async *walk<T>(root: CID, options: { signal?: AbortSignal; depth?: number } = {}): AsyncGenerator<GraphNode<T>> {
      const maxDepth = options.depth ?? Infinity;
      const pending: { cid: CID; depth: number; path: CID[] }[] = [{ cid: root, depth: 0, path: [root] }];
      for (let next = pending.pop(); next; next = pending.pop()) {
        const { cid, depth, path } = next;
        options.signal?.throwIfAborted();
        if (cid.code === raw.code) {
          if (requireLeaves && !(await blockstore.has(cid, options))) throw Object.assign(new Error(`Block ${cid.toString()} is not stored locally.`), { name: 'NotFoundError' });
          yield { block: createUnsafe({ cid, bytes: new Uint8Array(0), codec: raw }), depth, path } as unknown as GraphNode<T>;
          continue;
        }
        const chunks: Uint8Array[] = [];
        for await (const chunk of blockstore.get(cid, options)) chunks.push(chunk);
        const block = createUnsafe({ cid, bytes: Buffer.concat(chunks), codec: await getCodec(cid.code) });
        yield { block, depth, path } as unknown as GraphNode<T>;
        if (depth >= maxDepth) continue;
        // Pushed in reverse, so children are visited in link order, depth first.
        const children = [...block.links()].map(([, child]) => child);
        for (let i = children.length - 1; i >= 0; i--) pending.push({ cid: children[i]!, depth: depth + 1, path: [...path, children[i]!] });
      }
    },
  });
}
