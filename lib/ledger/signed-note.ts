/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys in the encoding of Go's
 * golang.org/x/mod/sumdb/note, so witnesses and Go tooling can check Cohort's tree heads:
 *   verifier key  <name>+<key id hex>+base64(0x01 || public key)
 *   signer key    PRIVATE+KEY+<name>+<key id hex>+base64(0x01 || seed)
 *   signed note   text, blank line, one "— <name> base64(key id || signature)" line per signer
 * Parsing is strict: there is one spelling of every key and note, anything else is refused.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

export class NoteError extends Error {
  override name = 'NoteError';
}

export interface Signer {
  readonly name: string;
  readonly keyHash: number;
  sign(message: Uint8Array): Buffer;
}

export interface Verifier {
  readonly name: string;
  readonly keyHash: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface OpenedNote {
  text: string;
  /** Names of the known keys whose signatures verified, in note order. */
  verifiedBy: string[];
}

const ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';
// Go's note package stops here; the spec asks for at least 16 and a limit keeps parsing bounded.
const MAX_SIGNATURES = 100;
// DER headers that turn raw RFC 8032 bytes into keys node:crypto can import.
const PKCS8_ED25519_SEED = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PUBLIC = Buffer.from('302a300506032b6570032100', 'hex');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 4648 §4 base64 with padding, or null. Node's decoder skips junk, so check the alphabet first. */
export function decodeStrictBase64(encoded: string): Buffer | null {
  if (!BASE64.test(encoded)) return null;
  const bytes = Buffer.from(encoded, 'base64');
  // Re-encoding rejects non-zero padding bits: otherwise one key or signature would have several spellings.
  return bytes.toString('base64') === encoded ? bytes : null;
}

/** Non-empty, no '+', no Unicode space, well-formed; control characters too, as no note may carry them. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !name.includes('+') && !/[\p{White_Space}\p{Cc}\p{Surrogate}]/u.test(name);
}

export function generateSignerKey(name: string): { skey: string; vkey: string } {
  requireValidName(name);
  const seed = randomBytes(32);
  const keyHash = keyHashOf(name, publicKeyOf(privateKeyFromSeed(seed)));
  const skey = `${SIGNER_KEY_PREFIX}${keyId(name, keyHash)}+${encodeKey(seed)}`;
  return { skey, vkey: verifierKeyOf(skey) };
}

export function parseSignerKey(skey: string): Signer {
  const { name, keyHash, privateKey } = decodeSignerKey(skey);
  return { name, keyHash, sign: (message) => sign(null, message, privateKey) };
}

export function verifierKeyOf(skey: string): string {
  const { name, keyHash, publicKey } = decodeSignerKey(skey);
  return `${keyId(name, keyHash)}+${encodeKey(publicKey)}`;
}

export function parseVerifierKey(vkey: string): Verifier {
  const { name, keyHash, key } = splitEncodedKey(vkey, 'verifier');
  if (keyHashOf(name, key) !== keyHash) throw new NoteError('verifier key: key id does not match the key');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PUBLIC, key]), format: 'der', type: 'spki' });
  } catch {
    throw new NoteError('verifier key: not an Ed25519 public key');
  }
  return {
    name,
    keyHash,
    verify: (message, signature) => {
      try {
        return signature.length === 64 && verify(null, message, publicKey, signature);
      } catch {
        return false; // a malformed signature is just a signature that does not verify
      }
    },
  };
}

export function signNote(text: string, signers: readonly Signer[]): string {
  if (!text.endsWith('\n')) throw new NoteError('note text must end with a newline');
  if (hasForbiddenCharacter(text)) throw new NoteError('note text has control characters or lone surrogates');
  if (signers.length === 0) throw new NoteError('a note needs at least one signer');
  if (signers.length > MAX_SIGNATURES) throw new NoteError(`a note carries at most ${MAX_SIGNATURES} signatures`);
  const message = Buffer.from(text, 'utf8');
  const seen = new Set<string>();
  const lines = signers.map((signer) => {
    requireValidName(signer.name);
    if (!Number.isInteger(signer.keyHash) || signer.keyHash < 0 || signer.keyHash > 0xffffffff) {
      throw new NoteError(`signer ${signer.name}: key id is not a uint32`);
    }
    const id = keyId(signer.name, signer.keyHash);
    // openNote refuses a key that signs twice, so never write one.
    if (seen.has(id)) throw new NoteError(`signer ${id} is listed twice`);
    seen.add(id);
    const signature = signer.sign(message);
    if (signature.length === 0) throw new NoteError(`signer ${id} returned an empty signature`);
    const keyIdBytes = Buffer.alloc(4);
    keyIdBytes.writeUInt32BE(signer.keyHash);
    return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyIdBytes, signature]).toString('base64')}\n`;
  });
  // The text may hold blank lines: readers split at the last one, which is always this one.
  return `${text}\n${lines.join('')}`;
}

/** Returns the text only if a known key signed it; any known key whose signature fails rejects the note. */
export function openNote(signed: string, verifiers: readonly Verifier[]): OpenedNote {
  if (hasForbiddenCharacter(signed)) throw new NoteError('note has control characters or lone surrogates');
  const split = signed.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no blank line before its signatures');
  const text = signed.slice(0, split + 1);
  const block = signed.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new NoteError('note signatures must be lines ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`note has more than ${MAX_SIGNATURES} signatures`);

  const known = indexVerifiers(verifiers);
  const message = Buffer.from(text, 'utf8');
  const seenLines = new Set<string>();
  const seenKeys = new Set<string>();
  const verifiedBy: string[] = [];
  for (const line of lines) {
    if (seenLines.has(line)) throw new NoteError('note repeats a signature line');
    seenLines.add(line);
    const { name, keyHash, signature } = parseSignatureLine(line);
    const id = keyId(name, keyHash);
    const verifier = known.get(id);
    if (!verifier) continue; // the spec: ignore unknown keys (other witnesses, rotated keys)
    if (seenKeys.has(id)) throw new NoteError(`note has two signatures by ${id}`);
    seenKeys.add(id);
    if (!verifier.verify(message, signature)) throw new NoteError(`invalid signature by ${id}`);
    verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) throw new NoteError('note has no signature by a known key');
  return { text, verifiedBy };
}

function parseSignatureLine(line: string): { name: string; keyHash: number; signature: Buffer } {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('malformed signature line: expected "— <name> <base64>"');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  const bytes = space < 0 ? null : decodeStrictBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || !bytes || bytes.length < 5) {
    throw new NoteError('malformed signature line: expected "— <name> <base64>"');
  }
  return { name, keyHash: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

function indexVerifiers(verifiers: readonly Verifier[]): Map<string, Verifier> {
  const known = new Map<string, Verifier>();
  for (const verifier of verifiers) {
    const id = keyId(verifier.name, verifier.keyHash);
    // Two keys behind one name and id would make "which key signed" unanswerable.
    if (known.has(id)) throw new NoteError(`ambiguous verifiers: two keys for ${id}`);
    known.set(id, verifier);
  }
  return known;
}

function decodeSignerKey(skey: string): { name: string; keyHash: number; privateKey: KeyObject; publicKey: Buffer } {
  // Messages never quote the signer key: it is a secret.
  if (!skey.startsWith(SIGNER_KEY_PREFIX)) throw new NoteError('signer key: must start with PRIVATE+KEY+');
  const { name, keyHash, key } = splitEncodedKey(skey.slice(SIGNER_KEY_PREFIX.length), 'signer');
  const privateKey = privateKeyFromSeed(key);
  const publicKey = publicKeyOf(privateKey);
  // The id hashes the public key, so it can only be checked once the seed has been expanded.
  if (keyHashOf(name, publicKey) !== keyHash) throw new NoteError('signer key: key id does not match the key');
  return { name, keyHash, privateKey, publicKey };
}

/** "<name>+<8 hex>+<base64(0x01 || 32 bytes)>"; base64 may contain '+', so split at the first two only. */
function splitEncodedKey(encoded: string, kind: string): { name: string; keyHash: number; key: Buffer } {
  const first = encoded.indexOf('+');
  const second = first < 0 ? -1 : encoded.indexOf('+', first + 1);
  if (second < 0) throw new NoteError(`${kind} key: expected <name>+<key id>+<key>`);
  const name = encoded.slice(0, first);
  const hashHex = encoded.slice(first + 1, second);
  if (!isValidKeyName(name)) throw new NoteError(`${kind} key: invalid key name`);
  if (!/^[0-9a-fA-F]{8}$/.test(hashHex)) throw new NoteError(`${kind} key: key id must be 8 hex digits`);
  const key = decodeStrictBase64(encoded.slice(second + 1));
  if (!key || key.length === 0) throw new NoteError(`${kind} key: key is not padded standard base64`);
  if (key[0] !== ED25519) throw new NoteError(`${kind} key: unknown algorithm (only 0x01 Ed25519)`);
  if (key.length !== 33) throw new NoteError(`${kind} key: an Ed25519 key is 32 bytes`);
  return { name, keyHash: Number.parseInt(hashHex, 16), key: key.subarray(1) };
}

/** C2SP key ID: SHA-256(name || "\n" || 0x01 || public key)[:4] as a big-endian uint32. */
function keyHashOf(name: string, publicKey: Buffer): number {
  const digest = createHash('sha256').update(name, 'utf8').update('\n').update(Buffer.of(ED25519)).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_SEED, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PUBLIC.length);
}

function hasForbiddenCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  // A lone surrogate is what invalid UTF-8 becomes in a JS string; it would not survive encoding.
  return /\p{Surrogate}/u.test(s);
}

function requireValidName(name: string): void {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
}

const encodeKey = (key: Buffer) => Buffer.concat([Buffer.of(ED25519), key]).toString('base64');
const hex = (keyHash: number) => keyHash.toString(16).padStart(8, '0');
const keyId = (name: string, keyHash: number) => `${name}+${hex(keyHash)}`;
