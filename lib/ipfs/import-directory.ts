import { importer, type WritableStorage } from 'ipfs-unixfs-importer';
import { AppError } from '@/lib/errors/app-error';
import type { IpfsAddEntry, IpfsAddOptions, IpfsAddResult } from './ipfs-backend';
import { normalizeEntryPath } from './parse-cid';
import { UNIXFS_IMPORT_OPTIONS } from './unixfs-profile';

/**
 * Builds the UnixFS directory of `entries` block by block into `blockstore`: both backends add through
 * here (Helia into its own blockstore, Kubo into a CAR streamed to `dag/import`), which is why the same
 * files get the same CIDs on either. Content is streamed; only one chunk per file in flight is held.
 */
export async function importDirectory(
  entries: AsyncIterable<IpfsAddEntry> | Iterable<IpfsAddEntry>,
  blockstore: WritableStorage,
  { onProgress, signal }: Pick<IpfsAddOptions, 'onProgress' | 'signal'> = {},
): Promise<IpfsAddResult> {
  const sizes = new Map<string, number>();
  const directories = new Set<string>();
  let bytesAdded = 0;

  async function* counted(path: string, content: IpfsAddEntry['content']): AsyncGenerator<Uint8Array> {
    const chunks = content instanceof Uint8Array ? [content] : content;
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      sizes.set(path, (sizes.get(path) ?? 0) + chunk.byteLength);
      bytesAdded += chunk.byteLength;
      onProgress?.(bytesAdded);
      yield chunk;
    }
  }

  async function* source() {
    for await (const entry of entries) {
      signal?.throwIfAborted();
      const path = normalizeEntryPath(entry.path);
      // The importer would quietly keep one of two files of the same name, or fail half-way on a file that
      // is also a directory: refuse both before any block is written.
      if (sizes.has(path) || directories.has(path)) throw new AppError('BAD_REQUEST', `"${path.slice(0, 80)}" is listed twice, or as both a file and a directory.`);
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) {
        const dir = segments.slice(0, i).join('/');
        if (sizes.has(dir)) throw new AppError('BAD_REQUEST', `"${dir.slice(0, 80)}" is both a file and a directory.`);
        directories.add(dir);
      }
      sizes.set(path, 0);
      yield { path, content: counted(path, entry.content) };
    }
  }

  const cids = new Map<string, string>();
  let root: string | undefined;
  for await (const result of importer(source(), blockstore, UNIXFS_IMPORT_OPTIONS)) {
    const path = result.path ?? '';
    if (path === '') root = result.cid.toString();
    else cids.set(path, result.cid.toString());
  }
  signal?.throwIfAborted();
  if (!root) throw new Error('the importer yielded no root directory');
  const files = [...sizes].map(([path, size]) => {
    const cid = cids.get(path);
    if (!cid) throw new Error(`the importer yielded no CID for ${path}`);
    return { path, cid, size };
  });
  return { cid: root, files };
}
