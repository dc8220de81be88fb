import { env } from '@/lib/config/env';
import { LocalBlobStore } from './blob-store';

const globalForBlobs = globalThis as typeof globalThis & { __cohortBlobs?: LocalBlobStore };

/** The installation's blob store (a local directory under the data directory). */
export function getBlobStore(): LocalBlobStore {
  if (globalForBlobs.__cohortBlobs?.root !== env.blobDir) globalForBlobs.__cohortBlobs = new LocalBlobStore(env.blobDir);
  return globalForBlobs.__cohortBlobs;
}
