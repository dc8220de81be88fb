import type { ImporterOptions } from 'ipfs-unixfs-importer';

/**
 * How every DAG Cohort publishes is built, whichever backend stores it: the IPIP-499 `unixfs-v1-2025`
 * profile (CIDv1, raw leaves, 1 MiB chunks, balanced layout with up to 1024 links per node, HAMT sharding
 * decided by block size), one directory wrapping the files, no mtime or mode. The options the profile
 * implies are also spelled out, so an importer whose profile drifted would still build the same DAG or fail
 * the CID tests. Changing anything here changes every published CID.
 */
export const UNIXFS_IMPORT_OPTIONS = {
  profile: 'unixfs-v1-2025',
  cidVersion: 1,
  rawLeaves: true,
  wrapWithDirectory: true,
} as const satisfies ImporterOptions;

/** The profile's chunk size: a file up to this size is one raw block (lib/ipfs/file-cid.ts relies on it). */
export const UNIXFS_CHUNK_SIZE = 1024 * 1024;

/** What docs and manifests say about the settings above. */
export const CID_PROFILE = 'unixfs-v1-2025';
