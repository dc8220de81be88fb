import { randomInt } from 'node:crypto';

// No 0/o, 1/l/i: people read these aloud or copy them from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A random password in groups, e.g. `k7pw-3xqe-m9ta-v2hs-8cfn` (25 chars, ~99 bits). */
export function generateTemporaryPassword(groups = 5): string {
  return Array.from({ length: groups }, () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  ).join('-');
}
