import { createHmac } from 'node:crypto';

/** UIDs the standard defines (SOP classes, transfer syntaxes, UTC synchronization, ...): never remapped. */
const DICOM_ROOT = '1.2.840.10008.';

/**
 * The de-identified UID of `uid` under a secret key: "2.25." and the first 128 bits of
 * HMAC-SHA256(key, uid) as one decimal integer (PS3.5 B.2 form, at most 44 characters). The same UID
 * and key always give the same result, so the instances of a dataset keep referring to each other;
 * without the key the original cannot be found or confirmed. Trailing padding (space, NUL) is not
 * part of a UID. Well-known UIDs of the standard (1.2.840.10008.*) are returned unchanged.
 */
export function remapUid(uid: string, key: Uint8Array): string {
  const value = uid.replace(/[\0 ]+$/, '').trim();
  if (!value || value.startsWith(DICOM_ROOT)) return value;
  const digest = createHmac('sha256', key).update(value, 'latin1').digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString()}`;
}
