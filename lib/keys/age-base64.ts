import { AgeError } from './age-error';

const UNPADDED = /^[A-Za-z0-9+/]*$/;

/** Standard base64 without `=` padding, as age headers use it. */
export function encodeBase64Raw(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/**
 * Decodes unpadded base64, refusing padding and non-canonical encodings (trailing bits set): the
 * spec requires it, and a lenient decoder would make headers malleable.
 */
export function decodeBase64Raw(s: string, what: string): Buffer {
  if (!UNPADDED.test(s) || s.length % 4 === 1) throw new AgeError('header', `${what}: not unpadded base64`);
  const bytes = Buffer.from(s, 'base64');
  if (encodeBase64Raw(bytes) !== s) throw new AgeError('header', `${what}: non-canonical base64`);
  return bytes;
}
