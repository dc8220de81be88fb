import { randomBytes } from 'node:crypto';
import { generatedSecret } from '@/lib/config/secrets';
import { decryptFile, encryptFile, keyIdOf } from './export/file-encryption';

/** What a grantee receives for a private version (and `npm run cohort -- pull --key` reads). */
export type DatasetKeyFile = { format: 'cohort-dataset-key/v1'; keyId: string; rootCid: string | null; key: string };

const SEAL_PATH = 'cohort-dataset-version-key';

/** The installation's master key for sealing version keys at rest; generated into the data directory. */
function masterKey(): Buffer {
  return Buffer.from(generatedSecret('dataset-master-key', () => randomBytes(32).toString('base64url')), 'base64url');
}

/** A new random key for one private version, and its sealed form for the database. */
export function newVersionKey(): { key: Buffer; sealed: string } {
  const key = randomBytes(32);
  return { key, sealed: encryptFile(masterKey(), SEAL_PATH, key).toString('base64') };
}

export function openVersionKey(sealed: string): Buffer {
  return decryptFile(masterKey(), SEAL_PATH, Buffer.from(sealed, 'base64'));
}

export function keyFileOf(key: Uint8Array, rootCid: string | null): DatasetKeyFile {
  return { format: 'cohort-dataset-key/v1', keyId: keyIdOf(key), rootCid, key: Buffer.from(key).toString('base64') };
}
