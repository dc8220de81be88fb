import { isArmored, dearmor } from './age-armor';
import { AgeError } from './age-error';
import { parseHeader, verifyHeaderMac } from './age-header';
import { parseIdentity, type AgeIdentity } from './age-keys';
import { openPayload, PAYLOAD_NONCE_SIZE, payloadKey } from './age-stream';
import { unwrapX25519 } from './age-x25519-stanza';

/** The magic every binary age v1 file starts with. */
export const AGE_MAGIC = 'age-encryption.org/v1';

/** Whether `file` is an age file, binary or armored (by its first bytes; decrypting tells the rest). */
export function isAgeFile(file: Uint8Array): boolean {
  return Buffer.from(file.buffer, file.byteOffset, Math.min(file.byteLength, AGE_MAGIC.length)).toString('latin1') === AGE_MAGIC || isArmored(file);
}

/**
 * Decrypts an age file (binary, or armored) with the first identity that unwraps one of its stanzas,
 * yielding the plaintext chunk by chunk as each authenticates. Throws an AgeError whose `failure`
 * says why: armor, header (malformed), no match (no identity fits), hmac (header altered) or payload.
 */
export function* ageDecryptChunks(file: Uint8Array, identities: readonly (string | AgeIdentity)[]): Generator<Buffer> {
  const bytes = isArmored(file) ? dearmor(file) : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const header = parseHeader(bytes);
  const { stanzas } = header;
  // A passphrase stanza must stand alone: mixing it with others would break its implicit authentication.
  if (stanzas.some((s) => s.args[0] === 'scrypt')) {
    if (stanzas.length > 1) throw new AgeError('header', 'an scrypt stanza must be the only stanza');
    throw new AgeError('no match', 'this file is encrypted with a passphrase, not to an identity');
  }
  const keys = identities.map((i) => (typeof i === 'string' ? parseIdentity(i) : i));
  let fileKey: Buffer | null = null;
  for (const identity of keys) {
    for (const stanza of stanzas) {
      fileKey = unwrapX25519(stanza, identity);
      if (fileKey) break;
    }
    if (fileKey) break;
  }
  if (!fileKey) throw new AgeError('no match', 'none of the identities given can open this file (it was encrypted to other recipients)');
  if (!verifyHeaderMac(fileKey, header)) throw new AgeError('hmac', 'the header MAC does not verify (the header was altered)');
  const nonce = bytes.subarray(header.payloadOffset, header.payloadOffset + PAYLOAD_NONCE_SIZE);
  if (nonce.length < PAYLOAD_NONCE_SIZE) throw new AgeError('header', 'the payload nonce is missing or short');
  yield* openPayload(payloadKey(fileKey, nonce), bytes.subarray(header.payloadOffset + PAYLOAD_NONCE_SIZE));
}

/** The whole plaintext of an age file (see ageDecryptChunks); nothing is returned unless all of it authenticates. */
export function ageDecrypt(file: Uint8Array, identities: readonly (string | AgeIdentity)[]): Buffer {
  return Buffer.concat([...ageDecryptChunks(file, identities)]);
}
