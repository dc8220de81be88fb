import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';

/** DER prefixes of a raw 32-byte X25519 key as PKCS#8 and SPKI (RFC 8410), so node:crypto takes raw keys. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function privateKey(scalar: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
}

function publicKey(point: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

/** X25519(scalar, basepoint): the public point of a 32-byte secret. */
export function x25519Public(scalar: Uint8Array): Buffer {
  const der = createPublicKey(privateKey(scalar)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/**
 * X25519(scalar, point), or null when the result is all zeros (a low-order or identity point):
 * OpenSSL refuses those itself, and age requires aborting on them.
 */
export function x25519(scalar: Uint8Array, point: Uint8Array): Buffer | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: privateKey(scalar), publicKey: publicKey(point) });
  } catch {
    return null;
  }
  return shared.every((b) => b === 0) ? null : shared;
}

export function randomScalar(): Buffer {
  return randomBytes(32);
}
