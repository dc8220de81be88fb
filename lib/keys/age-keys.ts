import { bech32Decode, bech32Encode } from './bech32';
import { randomScalar, x25519Public } from './x25519';

/** Bech32 human-readable parts of age's X25519 keys (lowercase; identities are written uppercase). */
const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';

/** An X25519 recipient (`age1…`): the public key files are encrypted to. */
export type AgeRecipient = { publicKey: Buffer };
/** An X25519 identity (`AGE-SECRET-KEY-1…`): the secret scalar, and the recipient it answers to. */
export type AgeIdentity = { secretKey: Buffer; publicKey: Buffer };

function decodeKey(text: string, hrp: string, what: string, example: string): Buffer {
  let decoded;
  try {
    decoded = bech32Decode(text.trim());
  } catch (err) {
    throw new Error(`Not an age ${what} (${example}): ${(err as Error).message}.`);
  }
  if (hrp === RECIPIENT_HRP && decoded.hrp === IDENTITY_HRP) {
    throw new Error('That is a secret key (an identity), not a public key: keep it to yourself, and give the age1… public key instead.');
  }
  if (decoded.hrp !== hrp) {
    const pq = decoded.hrp === `${RECIPIENT_HRP}1pq` || decoded.hrp === `${IDENTITY_HRP}pq-`;
    throw new Error(pq ? `Post-quantum age keys are not supported here: use an X25519 ${what} (${example}).` : `Not an age X25519 ${what}: it should start with ${example}.`);
  }
  if (decoded.data.length !== 32) throw new Error(`Not an age X25519 ${what}: it holds ${decoded.data.length} bytes, not 32.`);
  return decoded.data;
}

/** Parses `age1…` (either case); throws an Error saying what is wrong. */
export function parseRecipient(text: string): AgeRecipient {
  return { publicKey: decodeKey(text, RECIPIENT_HRP, 'recipient', 'age1…') };
}

export function isRecipient(text: string): boolean {
  try {
    parseRecipient(text);
    return true;
  } catch {
    return false;
  }
}

/** The canonical (lowercase) `age1…` form of a public key. */
export function formatRecipient(publicKey: Uint8Array): string {
  return bech32Encode(RECIPIENT_HRP, publicKey);
}

/** Parses `AGE-SECRET-KEY-1…` (either case); throws an Error saying what is wrong. */
export function parseIdentity(text: string): AgeIdentity {
  const secretKey = decodeKey(text, IDENTITY_HRP, 'identity', 'AGE-SECRET-KEY-1…');
  return { secretKey, publicKey: x25519Public(secretKey) };
}

/** The canonical (uppercase) `AGE-SECRET-KEY-1…` form of a secret key. */
export function formatIdentity(secretKey: Uint8Array): string {
  return bech32Encode(IDENTITY_HRP.toUpperCase(), secretKey);
}

/** The `age1…` recipient of an `AGE-SECRET-KEY-1…` identity. */
export function recipientOf(identity: string): string {
  return formatRecipient(parseIdentity(identity).publicKey);
}

/** A new X25519 identity and its recipient, both encoded. */
export function generateIdentity(): { identity: string; recipient: string } {
  const secretKey = randomScalar();
  return { identity: formatIdentity(secretKey), recipient: formatRecipient(x25519Public(secretKey)) };
}

/**
 * The identities of an identity file as age-keygen writes it: one `AGE-SECRET-KEY-1…` a line, `#`
 * comments and blank lines allowed. Throws naming the first line that is neither.
 */
export function parseIdentityFile(text: string): AgeIdentity[] {
  const identities: AgeIdentity[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    try {
      identities.push(parseIdentity(line));
    } catch (err) {
      throw new Error(`line ${i + 1}: ${(err as Error).message}`);
    }
  }
  if (!identities.length) throw new Error('no AGE-SECRET-KEY-1… line in it');
  return identities;
}

/** An identity file in age-keygen's layout (the public key is a comment, for the holder's convenience). */
export function formatIdentityFile({ identity, recipient }: { identity: string; recipient: string }, created = new Date()): string {
  return `# created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${recipient}\n${identity}\n`;
}
