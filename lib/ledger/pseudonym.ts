import { createHmac } from 'node:crypto';
import { getPseudonymKey } from '@/lib/config/secrets';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The stable, opaque name a person has in the ledger: `p_` + 26 base32 characters of an HMAC keyed
 * with this installation's secret. Anyone can see that two entries share an actor; only this
 * installation can say who it is (the key and the user table stay private).
 */
export function pseudonymOf(userId: string, key: string = getPseudonymKey()): string {
  return `p_${keyedToken('cohort-actor', userId, key)}`;
}

/**
 * How the ledger names a study: `s_` + a keyed hash of its Study Instance UID. A UID can identify a
 * patient's examination to anyone holding the hospital's records, so it never appears in an entry.
 */
export function studyReference(studyInstanceUid: string, key: string = getPseudonymKey()): string {
  return `s_${keyedToken('cohort-study', studyInstanceUid, key)}`;
}

/**
 * How the ledger names a patient: `q_` + a keyed hash of their Patient ID and its issuer (never the
 * ID itself, which the hospital's records tie to a person).
 */
export function patientReference(patientKey: string, issuer: string, key: string = getPseudonymKey()): string {
  return `q_${keyedToken('cohort-patient', `${issuer}\0${patientKey}`, key)}`;
}

/** `length` base32 characters (5 bits each; 26 = 130 bits) of HMAC-SHA-256(key, domain \0 value). */
export function keyedToken(domain: string, value: string, key: string, length = 26): string {
  const mac = createHmac('sha256', key).update(`${domain}\0${value}`).digest();
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of mac) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The actor of facts Cohort records by itself (start-up, scheduled checkpoints). */
export const SYSTEM_ACTOR = 'system';
