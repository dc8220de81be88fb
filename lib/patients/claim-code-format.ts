import { createHash, randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from a letter is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 symbols × 5 bits: 80 random bits, far beyond guessing at any rate the throttle allows. */
const SYMBOLS = 16;

/** A new claim code, in groups of four for reading: `7KQ3-M9XD-2HRT-BW4N`. */
export function newClaimCode(): string {
  const bytes = randomBytes(SYMBOLS);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]!);
  return [0, 4, 8, 12].map((i) => symbols.slice(i, i + 4).join('')).join('-');
}

/**
 * A code as typed, in its one canonical form: upper case, no spaces or dashes, and the letters people
 * confuse with digits read as those digits (O as 0, I and L as 1), as Crockford's decoding does.
 * Null when it cannot be a code (wrong length or a symbol outside the alphabet).
 */
export function normalizeClaimCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== SYMBOLS || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

/** What is stored of a code: its SHA-256 (a code is never kept in the clear). */
export const claimCodeHash = (normalized: string) => createHash('sha256').update(normalized).digest('hex');
