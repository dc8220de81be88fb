import { decodeBase64Raw, encodeBase64Raw } from './age-base64';
import { AgeError } from './age-error';
import type { AgeIdentity, AgeRecipient } from './age-keys';
import type { Stanza } from './age-header';
import { chachaOpen, chachaSeal, hkdf32 } from './age-primitives';
import { randomScalar, x25519, x25519Public } from './x25519';

const TYPE = 'X25519';
const INFO = 'age-encryption.org/v1/X25519';
const ZERO_NONCE = Buffer.alloc(12);
/** A 16-byte file key sealed with a 16-byte tag. */
const BODY_LENGTH = 32;

/** Wraps the file key for one recipient, with a fresh ephemeral secret (never reused across stanzas or files). */
export function wrapX25519(fileKey: Uint8Array, recipient: AgeRecipient): Stanza {
  const ephemeral = randomScalar();
  const share = x25519Public(ephemeral);
  const shared = x25519(ephemeral, recipient.publicKey);
  if (!shared) throw new Error('age: the recipient is a low-order point');
  const wrapKey = hkdf32(shared, Buffer.concat([share, recipient.publicKey]), INFO);
  return { args: [TYPE, encodeBase64Raw(share)], body: chachaSeal(wrapKey, ZERO_NONCE, fileKey) };
}

/**
 * The file key if `stanza` is an X25519 stanza addressed to `identity`; null when it is of another
 * type or for someone else. A malformed X25519 stanza (wrong argument count, a share that is not
 * canonical base64 of 32 bytes, a body that is not 32 bytes, an all-zero shared secret) is a header failure.
 */
export function unwrapX25519(stanza: Stanza, identity: AgeIdentity): Buffer | null {
  if (stanza.args[0] !== TYPE) return null;
  if (stanza.args.length !== 2) throw new AgeError('header', 'an X25519 stanza must have exactly two arguments');
  const share = decodeBase64Raw(stanza.args[1]!, 'X25519 share');
  if (share.length !== 32) throw new AgeError('header', 'an X25519 share must be 32 bytes');
  // Checked before decrypting, against partitioning oracle attacks.
  if (stanza.body.length !== BODY_LENGTH) throw new AgeError('header', 'an X25519 stanza body must be 32 bytes');
  const shared = x25519(identity.secretKey, share);
  if (!shared) throw new AgeError('header', 'an X25519 share is a low-order point');
  const wrapKey = hkdf32(shared, Buffer.concat([share, identity.publicKey]), INFO);
  return chachaOpen(wrapKey, ZERO_NONCE, stanza.body);
}
