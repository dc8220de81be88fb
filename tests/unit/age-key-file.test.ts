/** What `cohort pull --key` accepts: a plain key file, or one shared as age (binary or armored) with --identity. */
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '@/lib/datasets/pull/read-key-file';
import { armor } from '@/lib/keys/age-armor';
import { ageEncrypt } from '@/lib/keys/age-encrypt';
import { formatIdentityFile, generateIdentity } from '@/lib/keys/age-keys';

const keyFile = { format: 'cohort-dataset-key/v1', keyId: '0123456789abcdef', rootCid: 'bafyexample', key: Buffer.alloc(32, 9).toString('base64') };
const json = Buffer.from(JSON.stringify(keyFile, null, 2) + '\n');
const holder = generateIdentity();
const identityFile = { path: 'me.txt', text: formatIdentityFile(holder) };

describe('readKeyFile', () => {
  it('refuses an age key file without --identity, or with an identity it was not shared with', () => {
    const wrapped = ageEncrypt(json, [holder.recipient]);
    expect(() => readKeyFile(wrapped)).toThrow(/pass your identity file with --identity/);
    expect(() => readKeyFile(wrapped, { path: 'other.txt', text: formatIdentityFile(generateIdentity()) })).toThrow(/not shared with the key of other\.txt/);
    expect(() => readKeyFile(wrapped, { path: 'junk.txt', text: 'hello\n' })).toThrow(/--identity junk\.txt: not an age identity file \(line 1/);
  });

  it('reads a plain key file, and one shared as age, binary or armored', () => {
    expect(readKeyFile(json)).toEqual(keyFile);
    const wrapped = ageEncrypt(json, [generateIdentity().recipient, holder.recipient]);
    expect(readKeyFile(wrapped, identityFile)).toEqual(keyFile);
    expect(readKeyFile(Buffer.from(armor(wrapped)), identityFile)).toEqual(keyFile);
  });

  it('says what is wrong with something that is not a key file', () => {
    expect(() => readKeyFile(Buffer.from('not json'))).toThrow(/neither a Cohort key file/);
    expect(() => readKeyFile(Buffer.from('{"format":"other"}'))).toThrow(/not a cohort-dataset-key\/v1 key file/);
    const tampered = ageEncrypt(json, [holder.recipient]);
    tampered[tampered.length - 3]! ^= 1;
    expect(() => readKeyFile(tampered, identityFile)).toThrow(/cannot be decrypted \(payload chunk 0 does not authenticate/);
  });
});
