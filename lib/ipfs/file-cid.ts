import { importer } from 'ipfs-unixfs-importer';
import { UNIXFS_IMPORT_OPTIONS } from './unixfs-profile';

/** Stores nothing: the importer only needs somewhere to put blocks. */
const hashOnly = { put: async <C>(cid: C) => cid };

/**
 * The CID a file gets when added by either backend (same importer, same settings), computed from its
 * bytes in memory without storing a block: a file's DAG does not depend on the directory holding it.
 */
export async function fileCid(bytes: Uint8Array): Promise<string> {
  let cid: string | undefined;
  for await (const entry of importer([{ content: bytes }], hashOnly, { ...UNIXFS_IMPORT_OPTIONS, wrapWithDirectory: false })) cid = entry.cid.toString();
  if (!cid) throw new Error('the importer yielded no CID');
  return cid;
}
