/**
 * Cohort's age v1 (X25519) round trips: sizes around the 64 KiB chunk boundary, several recipients,
 * armor; and every way a file must fail to open: another identity, a tampered header, MAC or
 * payload, a truncated or extended file, and a malformed key.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { armor, dearmor, isArmored } from '@/lib/keys/age-armor';
import { ageDecrypt, isAgeFile } from '@/lib/keys/age-decrypt';
import { ageEncrypt } from '@/lib/keys/age-encrypt';
import { AgeError, type AgeFailure } from '@/lib/keys/age-error';
import { parseHeader } from '@/lib/keys/age-header';
import { generateIdentity } from '@/lib/keys/age-keys';
import { CHUNK_SIZE } from '@/lib/keys/age-stream';

const alice = generateIdentity();
const bob = generateIdentity();
const mallory = generateIdentity();

function failureOf(fn: () => unknown): AgeFailure | 'none' {
  try {
    fn();
    return 'none';
  } catch (err) {
    if (err instanceof AgeError) return err.failure;
    throw err;
  }
}

describe('ageDecrypt refuses', () => {
  const plain = Buffer.from('{"format":"cohort-dataset-key/v1"}\n');
  const file = ageEncrypt(plain, [alice.recipient]);
  const { payloadOffset } = parseHeader(file);

  it('another identity: no match, nothing released', () => {
    expect(failureOf(() => ageDecrypt(file, [mallory.identity]))).toBe('no match');
    expect(() => ageDecrypt(file, [mallory.identity])).toThrow(/none of the identities/);
  });

  it('a header whose stanza was altered (the file key no longer unwraps)', () => {
    const text = file.toString('latin1');
    const bodyStart = text.indexOf('\n', text.indexOf('-> X25519')) + 1;
    const tampered = Buffer.from(file);
    tampered[bodyStart] = tampered[bodyStart] === 0x41 ? 0x42 : 0x41;
    expect(failureOf(() => ageDecrypt(tampered, [alice.identity]))).toBe('no match');
  });

  it('a header changed where only the MAC protects it: an added stanza, or a flipped MAC', () => {
    const text = file.toString('latin1');
    const mac = text.indexOf('\n---') + 1;
    const grease = Buffer.concat([file.subarray(0, mac), Buffer.from('-> grease x\n\n'), file.subarray(mac)]);
    expect(failureOf(() => ageDecrypt(grease, [alice.identity]))).toBe('hmac');
    const flipped = Buffer.from(file);
    const macChar = mac + 4;
    flipped[macChar] = flipped[macChar] === 0x41 ? 0x42 : 0x41;
    expect(failureOf(() => ageDecrypt(flipped, [alice.identity]))).toBe('hmac');
  });

  it('a payload with one bit flipped, truncated, or with bytes appended', () => {
    const flipped = Buffer.from(file);
    flipped[file.length - 5]! ^= 1;
    expect(failureOf(() => ageDecrypt(flipped, [alice.identity]))).toBe('payload');
    expect(failureOf(() => ageDecrypt(file.subarray(0, file.length - 1), [alice.identity]))).toBe('payload');
    expect(failureOf(() => ageDecrypt(Buffer.concat([file, Buffer.from([0])]), [alice.identity]))).toBe('payload');
    expect(failureOf(() => ageDecrypt(file.subarray(0, payloadOffset + 16), [alice.identity]))).toBe('payload');
    // The nonce is part of the header's frame: without it the file is malformed.
    expect(failureOf(() => ageDecrypt(file.subarray(0, payloadOffset + 8), [alice.identity]))).toBe('header');
  });

  it('a file that is not age at all, or another version of it', () => {
    expect(failureOf(() => ageDecrypt(Buffer.from('{"format":"cohort-dataset-key/v1"}'), [alice.identity]))).toBe('header');
    expect(failureOf(() => ageDecrypt(Buffer.from(file.toString('latin1').replace('/v1', '/v2'), 'latin1'), [alice.identity]))).toBe('header');
    expect(failureOf(() => ageDecrypt(Buffer.from(file.toString('latin1').replace(/\n/, '\r\n'), 'latin1'), [alice.identity]))).toBe('header');
  });

  it('armor with anything but whitespace around it', () => {
    const armored = armor(file);
    expect(failureOf(() => dearmor(`garbage\n${armored}`))).toBe('armor');
    expect(failureOf(() => dearmor(armored.replace('-----\n', '-----\nComment: hi\n\n')))).toBe('armor');
    expect(ageDecrypt(Buffer.from(`\n  ${armored}  \n`), [alice.identity])).toEqual(plain);
  });
});

describe('ageEncrypt then ageDecrypt', () => {
  it('round-trips every size around the chunk boundary', () => {
    for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE + 17]) {
      const plain = randomBytes(size);
      const file = ageEncrypt(plain, [alice.recipient]);
      // Header, 16-byte nonce, then one 16-byte tag per chunk (an empty plaintext is one empty final chunk).
      const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
      expect(file.length - parseHeader(file).payloadOffset, `${size} bytes`).toBe(16 + size + 16 * chunks);
      expect(ageDecrypt(file, [alice.identity]).equals(plain), `${size} bytes`).toBe(true);
    }
  });

  it('lets each of several recipients open the file, and only them', () => {
    const plain = Buffer.from('shared key file');
    const file = ageEncrypt(plain, [alice.recipient, bob.recipient]);
    expect(parseHeader(file).stanzas.map((s) => s.args[0])).toEqual(['X25519', 'X25519']);
    expect(ageDecrypt(file, [alice.identity])).toEqual(plain);
    expect(ageDecrypt(file, [bob.identity])).toEqual(plain);
    expect(ageDecrypt(file, [mallory.identity, bob.identity])).toEqual(plain);
    expect(failureOf(() => ageDecrypt(file, [mallory.identity]))).toBe('no match');
  });

  it('uses a fresh file key, ephemeral share and nonce every time', () => {
    const a = ageEncrypt(Buffer.from('same'), [alice.recipient]);
    const b = ageEncrypt(Buffer.from('same'), [alice.recipient]);
    expect(parseHeader(a).stanzas[0]!.args[1]).not.toBe(parseHeader(b).stanzas[0]!.args[1]);
    expect(a.equals(b)).toBe(false);
  });

  it('writes the header the spec shows: version line, X25519 stanzas with 43-character shares, MAC line', () => {
    const text = ageEncrypt(Buffer.alloc(0), [alice.recipient]).toString('latin1');
    expect(text).toMatch(/^age-encryption\.org\/v1\n-> X25519 [A-Za-z0-9+/]{43}\n[A-Za-z0-9+/]{43}\n--- [A-Za-z0-9+/]{43}\n/);
  });

  it('armors and recognizes armored and binary files', () => {
    const file = ageEncrypt(Buffer.from('x'), [alice.recipient]);
    const armored = armor(file);
    expect(armored).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END AGE ENCRYPTED FILE-----\n$/);
    expect(isArmored(Buffer.from(armored))).toBe(true);
    expect(isAgeFile(file) && isAgeFile(Buffer.from(armored))).toBe(true);
    expect(isAgeFile(Buffer.from('{"format":"cohort-dataset-key/v1"}'))).toBe(false);
    expect(ageDecrypt(Buffer.from(armored), [alice.identity])).toEqual(Buffer.from('x'));
  });

  it('refuses to encrypt to no one or to a malformed recipient', () => {
    expect(() => ageEncrypt(Buffer.from('x'), [])).toThrow(/at least one recipient/);
    expect(() => ageEncrypt(Buffer.from('x'), ['age1notarecipient'])).toThrow(/Not an age recipient/);
  });
});
