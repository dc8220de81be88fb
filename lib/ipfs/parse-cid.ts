import { CID } from 'multiformats/cid';
import { AppError } from '@/lib/errors/app-error';

/** A CID from text (CIDv1 in base32/base58btc, or CIDv0 "Qm…"); BAD_REQUEST otherwise. */
export function parseCid(value: string): CID {
  try {
    return CID.parse(value.trim());
  } catch {
    throw new AppError('BAD_REQUEST', 'That is not a CID.');
  }
}

/** Whether a path segment is a name UnixFS can hold and every consumer can write to disk. */
function isSafeSegment(segment: string): boolean {
  return (
    segment.length > 0 &&
    segment !== '.' &&
    segment !== '..' &&
    !segment.includes('\\') &&
    // Control characters make names that tar, zip and file systems each treat differently.
    ![...segment].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
    new TextEncoder().encode(segment).length <= 255
  );
}

/**
 * A path inside a DAG, as segments joined by "/" ("" for the root). Empty segments from doubled or trailing
 * slashes are dropped; "." and ".." are refused rather than resolved, since no UnixFS name is either.
 */
export function normalizeIpfsPath(path: string | readonly string[] | undefined): string {
  const segments = (typeof path === 'string' ? path.split('/') : (path ?? [])).filter((s) => s !== '');
  for (const s of segments) {
    if (!isSafeSegment(s)) throw new AppError('BAD_REQUEST', `"${s.slice(0, 40)}" is not a valid path segment.`);
  }
  return segments.join('/');
}

/** A file's path in a directory being added: relative, non-empty, no "." or ".." segments, no empty segments. */
export function normalizeEntryPath(path: string): string {
  if (path.startsWith('/')) throw new AppError('BAD_REQUEST', `File paths are relative: "${path.slice(0, 80)}" starts with "/".`);
  const segments = path.split('/');
  if (segments.some((s) => !isSafeSegment(s))) throw new AppError('BAD_REQUEST', `"${path.slice(0, 80)}" is not a valid file path.`);
  return segments.join('/');
}
