import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * How a private dataset's files are published: AES-256-GCM with the version's random 256-bit key, a
 * fresh 96-bit nonce per file, and the file's path as additional data (a file moved to another path
 * fails to decrypt). Layout: nonce (12) ‖ ciphertext ‖ tag (16).
 */
const NONCE = 12;
const TAG = 16;

export function encryptFile(key: Uint8Array, path: string, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(path, 'utf8'));
  // One copy into the sealed file (a dataset's bytes pass through here: every copy counts).
  const body = cipher.update(plain);
  const final = cipher.final();
  return Buffer.concat([nonce, body, final, cipher.getAuthTag()]);
}

/** The plaintext, or an Error saying the key is wrong or the file was altered (GCM cannot tell which). */
export function decryptFile(key: Uint8Array, path: string, sealed: Uint8Array): Buffer {
  if (sealed.length < NONCE + TAG) throw new Error(`${path}: too short to be an encrypted file`);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(path, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new Error(`${path}: cannot decrypt (wrong key, or the file was altered)`);
  }
}

/** Names a key without revealing it: the first 16 hex digits of its SHA-256. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
