import { createHash, randomBytes } from 'node:crypto';

const SHARE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new share token: 256 random bits, base64url (43 characters), for a URL /s/<token>. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isShareTokenShaped(token: string): boolean {
  return SHARE_TOKEN.test(token);
}

/** What is stored: with 256 random bits, a plain SHA-256 cannot be reversed by guessing. */
export function shareTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
