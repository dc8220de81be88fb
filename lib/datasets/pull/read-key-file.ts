import { ageDecrypt, isAgeFile } from '@/lib/keys/age-decrypt';
import { AgeError } from '@/lib/keys/age-error';
import { parseIdentityFile } from '@/lib/keys/age-keys';
import type { DatasetKeyFile } from '../version-key';

/**
 * The key file `cohort pull --key` was given: the JSON itself, or a grant (that JSON age-encrypted to
 * the holder's key, binary or armored), opened here, locally, with the identity file's identities.
 * Throws an Error saying what to do when it cannot.
 */
export function readKeyFile(bytes: Uint8Array, identityFile?: { path: string; text: string }): DatasetKeyFile {
  let json: string;
  if (isAgeFile(bytes)) {
    if (!identityFile) throw new Error('this key file is encrypted to your dataset key (age): pass your identity file with --identity <file>');
    let identities;
    try {
      identities = parseIdentityFile(identityFile.text);
    } catch (err) {
      throw new Error(`--identity ${identityFile.path}: not an age identity file (${(err as Error).message})`);
    }
    try {
      json = ageDecrypt(bytes, identities).toString('utf8');
    } catch (err) {
      if (err instanceof AgeError && err.failure === 'no match') throw new Error(`it was not shared with the key of ${identityFile.path}: ask for it to be shared with one of your registered keys`);
      throw new Error(`it cannot be decrypted (${(err as Error).message})`);
    }
  } else {
    json = Buffer.from(bytes).toString('utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('neither a Cohort key file (JSON) nor an age-encrypted one');
  }
  const key = parsed as Partial<DatasetKeyFile> | null;
  if (key?.format !== 'cohort-dataset-key/v1' || typeof key.key !== 'string') throw new Error('not a cohort-dataset-key/v1 key file');
  return key as DatasetKeyFile;
}
