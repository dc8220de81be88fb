/**
 * C2SP tlog-checkpoint bodies (c2sp.org/tlog-checkpoint): the note text of a signed tree head.
 *   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n...]
 * Strict both ways: formatCheckpoint only writes what parseCheckpoint accepts, and parseCheckpoint
 * accepts one spelling per tree head, so a witness and Cohort never disagree about what was signed.
 */
import { decodeStrictBase64, openNote, signNote, type Signer, type Verifier } from './signed-note';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export interface CheckpointInput {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}

export interface ParseCheckpointOptions {
  /** Root hash length in bytes (32 for SHA-256); null accepts any non-empty hash. */
  hashSize: number | null;
}

// Decimal without leading zeros: "0" is the empty tree, "007" is a second spelling of 7.
const TREE_SIZE = /^(?:0|[1-9][0-9]*)$/;

export function formatCheckpoint({ origin, size, rootHash, extensions = [] }: CheckpointInput): string {
  if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError(`tree size ${size} is not a non-negative integer`);
  if (rootHash.length === 0) throw new CheckpointError('root hash is empty');
  const lines = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions];
  // Empty lines or embedded newlines would shift every later line into a different meaning.
  if (lines.some((line) => line === '' || line.includes('\n'))) {
    throw new CheckpointError('origin and extension lines must be non-empty and hold no newline');
  }
  return lines.map((line) => `${line}\n`).join('');
}

export function parseCheckpoint(text: string, { hashSize }: ParseCheckpointOptions = { hashSize: 32 }): Checkpoint {
  if (!text.endsWith('\n')) throw new CheckpointError('checkpoint must end with a newline');
  const [origin, sizeLine, hashLine, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || sizeLine === undefined || hashLine === undefined) {
    throw new CheckpointError('checkpoint needs origin, tree size and root hash lines');
  }
  if (origin === '') throw new CheckpointError('checkpoint origin is empty');
  const size = Number(sizeLine);
  if (!TREE_SIZE.test(sizeLine)) throw new CheckpointError('tree size must be decimal digits without leading zeros');
  // Sizes past 2^53 would silently round; no ledger of ours gets near it, so refuse rather than guess.
  if (!Number.isSafeInteger(size)) throw new CheckpointError('tree size is too large');
  const rootHash = decodeStrictBase64(hashLine);
  if (!rootHash || rootHash.length === 0) throw new CheckpointError('root hash is not padded standard base64');
  if (hashSize !== null && rootHash.length !== hashSize) {
    throw new CheckpointError(`root hash is ${rootHash.length} bytes, expected ${hashSize}`);
  }
  if (extensions.includes('')) throw new CheckpointError('extension lines must be non-empty');
  return { origin, size, rootHash, extensions };
}

export function signCheckpoint(checkpoint: CheckpointInput, signer: Signer): string {
  return signNote(formatCheckpoint(checkpoint), [signer]);
}

/** Verifies the note first: an unsigned body is never parsed into a tree head. */
export function openCheckpoint(
  signedNote: string,
  verifier: Verifier,
  expectedOrigin: string,
  options?: ParseCheckpointOptions,
): Checkpoint {
  const { text } = openNote(signedNote, [verifier]);
  const checkpoint = parseCheckpoint(text, options);
  // A key may sign for several logs; the origin says which log this head belongs to.
  if (checkpoint.origin !== expectedOrigin) {
    throw new CheckpointError(`checkpoint is for ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(expectedOrigin)}`);
  }
  return checkpoint;
}
