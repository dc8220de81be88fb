import { randomBytes } from 'node:crypto';
import { formatHeader } from './age-header';
import { parseRecipient } from './age-keys';
import { PAYLOAD_NONCE_SIZE, payloadKey, sealPayload } from './age-stream';
import { wrapX25519 } from './age-x25519-stanza';

/**
 * Encrypts `plaintext` to each `age1…` recipient as a binary age v1 file (age-encryption.org/v1):
 * a fresh 128-bit file key wrapped in one X25519 stanza per recipient, the header MAC, a fresh
 * 16-byte nonce and the STREAM payload. Any of the recipients' identities decrypts it, with
 * ageDecrypt or `age -d -i`.
 */
export function ageEncrypt(plaintext: Uint8Array, recipients: readonly string[]): Buffer {
  if (!recipients.length) throw new Error('age: at least one recipient is needed');
  const parsed = recipients.map(parseRecipient);
  const fileKey = randomBytes(16);
  const header = formatHeader(
    fileKey,
    parsed.map((r) => wrapX25519(fileKey, r)),
  );
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  return Buffer.concat([header, nonce, sealPayload(payloadKey(fileKey, nonce), plaintext)]);
}
