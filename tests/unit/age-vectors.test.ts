/**
 * The age test vectors (C2SP/CCTV, npm `cctv-age`) that use X25519 identities: each file decrypts, or
 * fails in the class the vector expects (armor, header, no match, HMAC, payload), and the plaintext
 * released (even before a payload failure) has the vector's SHA-256. Then the round trips the vectors
 * allow: header re-encoding, STREAM re-encryption with the file key, and armor re-encoding.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as vectors from 'cctv-age';
import { describe, expect, it } from 'vitest';
import { armor, dearmor } from '@/lib/keys/age-armor';
import { ageDecryptChunks } from '@/lib/keys/age-decrypt';
import { AgeError, type AgeFailure } from '@/lib/keys/age-error';
import { formatHeader, parseHeader } from '@/lib/keys/age-header';
import { PAYLOAD_NONCE_SIZE, payloadKey, sealPayload } from '@/lib/keys/age-stream';

type Vector = { name: string; expect: string; payload: string; identities: string[]; passphrases: string[]; armored: boolean; fileKey: Buffer | null; file: Buffer };

const EXPECT_OF: Record<AgeFailure, string> = { armor: 'armor failure', header: 'header failure', 'no match': 'no match', hmac: 'HMAC failure', payload: 'payload failure' };

function parseVector(name: string, raw: Uint8Array): Vector {
  const buf = Buffer.from(raw);
  const split = buf.indexOf('\n\n');
  const fields = buf
    .subarray(0, split)
    .toString('utf8')
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const);
  const all = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v);
  const body = buf.subarray(split + 2);
  return {
    name,
    expect: all('expect')[0]!,
    payload: all('payload')[0] ?? '',
    identities: all('identity'),
    passphrases: all('passphrase'),
    armored: all('armored')[0] === 'yes',
    fileKey: all('file key')[0] ? Buffer.from(all('file key')[0]!, 'hex') : null,
    file: all('compressed')[0] === 'zlib' ? inflateSync(body) : body,
  };
}

const ALL = Object.entries(vectors as unknown as Record<string, Uint8Array>).map(([name, raw]) => parseVector(name, raw));
/** Vectors for what Cohort implements: X25519 identities only (no passphrases, no post-quantum keys). */
const X25519 = ALL.filter((v) => v.identities.length > 0 && v.passphrases.length === 0 && v.identities.every((i) => i.startsWith('AGE-SECRET-KEY-1')));

/** What decrypting gives: 'success' or the vector's name of the failure, and the SHA-256 of what was released. */
function run(v: Vector, identities = v.identities): { outcome: string; sha256: string } {
  const hash = createHash('sha256');
  try {
    for (const chunk of ageDecryptChunks(v.armored ? dearmor(v.file) : v.file, identities)) hash.update(chunk);
    return { outcome: 'success', sha256: hash.digest('hex') };
  } catch (err) {
    if (!(err instanceof AgeError)) throw err;
    return { outcome: EXPECT_OF[err.failure], sha256: hash.digest('hex') };
  }
}

describe('the age test vectors (C2SP/CCTV)', () => {
  it('has the X25519 vectors to run', () => {
    expect(X25519.length).toBeGreaterThanOrEqual(90);
  });

  for (const v of X25519) {
    it(`${v.name}: ${v.expect}`, () => {
      const { outcome, sha256 } = run(v);
      expect(outcome).toBe(v.expect);
      // Whatever plaintext was released, even before a payload failure, is exactly the vector's.
      if (outcome === 'success' || outcome === 'payload failure') expect(sha256).toBe(v.payload);
    });
  }

  it('refuses an scrypt stanza next to an X25519 one (scrypt_and_x25519), and names passphrase files as not ours', () => {
    const mixed = ALL.find((v) => v.name === 'scrypt_and_x25519')!;
    expect(run(mixed, mixed.identities).outcome).toBe('header failure');
    const scrypt = ALL.find((v) => v.name === 'scrypt')!;
    expect(run(scrypt, X25519[0]!.identities).outcome).toBe('no match');
  });
});

describe('round trips on the vectors', () => {
  const decodable = X25519.filter((v) => v.expect === 'success');

  it('re-encodes every successful header byte for byte, MAC included', () => {
    for (const v of decodable) {
      const file = v.armored ? dearmor(v.file) : v.file;
      const header = parseHeader(file);
      expect(formatHeader(v.fileKey!, header.stanzas).equals(file.subarray(0, header.payloadOffset)), v.name).toBe(true);
    }
  });

  it('re-seals every successful payload byte for byte with the file key and nonce', () => {
    for (const v of decodable) {
      const file = v.armored ? dearmor(v.file) : v.file;
      const { payloadOffset } = parseHeader(file);
      const nonce = file.subarray(payloadOffset, payloadOffset + PAYLOAD_NONCE_SIZE);
      const plain = Buffer.concat([...ageDecryptChunks(file, v.identities)]);
      expect(sealPayload(payloadKey(v.fileKey!, nonce), plain).equals(file.subarray(payloadOffset + PAYLOAD_NONCE_SIZE)), v.name).toBe(true);
    }
  });

  it('re-armors every successful armored file to its canonical text', () => {
    const armored = decodable.filter((v) => v.armored);
    expect(armored.length).toBeGreaterThan(3);
    for (const v of armored) {
      const canonical = v.file.toString('latin1').trim().replace(/\r\n/g, '\n') + '\n';
      expect(armor(dearmor(v.file)), v.name).toBe(canonical);
    }
  });
});
