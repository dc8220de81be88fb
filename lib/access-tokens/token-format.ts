import { createHash, randomBytes } from 'node:crypto';

/** Every token starts so: recognizable in a header or a leaked config (secret scanners key on it). */
export const TOKEN_PREFIX = 'cohort_pat_';
const TOKEN = /^cohort_pat_[A-Za-z0-9_-]{43}$/;

/** A new token: 256 random bits, base64url. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function isTokenShaped(token: string): boolean {
  return TOKEN.test(token);
}

/** What is stored: a token has 256 random bits, so a plain SHA-256 is enough (no salt, no slow hash). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What lists show: enough to tell tokens apart, far too little to use one. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 4);
}
