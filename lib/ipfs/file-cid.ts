import { importer } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import * as Digest from 'multiformats/hashes/digest';
import { sha256 } from 'multiformats/hashes/sha2';
import { UNIXFS_CHUNK_SIZE, UNIXFS_IMPORT_OPTIONS } from './unixfs-profile';

/** Stores nothing: the importer only needs somewhere to put blocks. */
const hashOnly = { put: async <C>(cid: C) => cid };

/**
 * The CID a file gets when added by either backend (same importer, same settings), computed from its
 * bytes in memory without storing a block: a file's DAG does not depend on the directory holding it.
 * A file of one chunk is its own raw leaf (the importer reduces a single leaf to itself), so its CID
 * is its SHA-256 as a raw block's: pass `sha256Digest` when it is already known and nothing is hashed
 * again.
 */
export async function fileCid(bytes: Uint8Array, sha256Digest?: Uint8Array): Promise<string> {
  if (bytes.length > 0 && bytes.length <= UNIXFS_CHUNK_SIZE) {
    const digest = sha256Digest ? Digest.create(sha256.code, sha256Digest) : await sha256.digest(bytes);
    return CID.createV1(raw.code, digest).toString();
  }
  let cid: string | undefined;
  for await (const entry of importer([{ content: bytes }], hashOnly, { ...UNIXFS_IMPORT_OPTIONS, wrapWithDirectory: false })) cid = entry.cid.toString();
  if (!cid) throw new Error('the importer yielded no CID');
  return cid;
}
