import { createHmac } from 'node:crypto';
import { getPseudonymKey } from '@/lib/config/secrets';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The stable, opaque name a person has in the ledger: `p_` + 26 base32 characters of an HMAC keyed
 * with this installation's secret. Anyone can see that two entries share an actor; only this
 * installation can say who it is (the key and the user table stay private).
 */
export function pseudonymOf(userId: string, key: string = getPseudonymKey()): string {
  const mac = createHmac('sha256', key).update(`cohort-actor\0${userId}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `p_${out}`;
}

/** The actor of facts Cohort records by itself (start-up, scheduled checkpoints). */
export const SYSTEM_ACTOR = 'system';
