import type { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { sha256 } from 'multiformats/hashes/sha2';
import { AppError } from '@/lib/errors/app-error';

/**
 * Refuses a block whose bytes do not hash to its CID. Blocks from a CAR someone hands us are claims until
 * checked; Cohort's DAGs only use SHA-256 (and identity for inlined bytes), so other hashes are refused too.
 */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  let digest: Uint8Array;
  if (cid.multihash.code === sha256.code) digest = (await sha256.digest(bytes)).digest;
  else if (cid.multihash.code === identity.code) digest = identity.digest(bytes).digest;
  else throw new AppError('BAD_REQUEST', `Block ${cid} uses a hash Cohort does not check (multihash 0x${cid.multihash.code.toString(16)}).`);
  if (!equalBytes(digest, cid.multihash.digest)) throw new AppError('BAD_REQUEST', `Block ${cid} does not match its CID.`);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
