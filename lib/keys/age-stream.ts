import { AgeError } from './age-error';
import { chachaOpen, chachaSeal, hkdf32 } from './age-primitives';

/** Plaintext bytes per STREAM chunk; each sealed chunk adds a 16-byte tag. */
export const CHUNK_SIZE = 64 * 1024;
const TAG = 16;
export const PAYLOAD_NONCE_SIZE = 16;

/** 11-byte big-endian chunk counter ‖ 0x01 for the final chunk, 0x00 before it. */
function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return hkdf32(fileKey, nonce, 'payload');
}

/** Seals `plain` in 64 KiB chunks; the last chunk may be full, and is empty only for an empty plaintext. */
export function sealPayload(key: Uint8Array, plain: Uint8Array): Buffer {
  const chunks: Buffer[] = [];
  let counter = 0;
  for (let offset = 0; ; offset += CHUNK_SIZE, counter++) {
    const end = Math.min(offset + CHUNK_SIZE, plain.length);
    const last = end === plain.length;
    chunks.push(chachaSeal(key, chunkNonce(counter, last), plain.subarray(offset, end)));
    if (last) break;
  }
  return Buffer.concat(chunks);
}

/**
 * Opens the sealed chunks one by one, yielding each plaintext chunk once it is authenticated; throws
 * a payload failure on a bad tag, a missing final chunk, an empty final chunk after others, or data
 * after the final chunk (the final chunk's plaintext has been yielded by then, as age streams it).
 */
export function* openPayload(key: Uint8Array, sealed: Uint8Array): Generator<Buffer> {
  let offset = 0;
  for (let counter = 0; ; counter++) {
    const remaining = sealed.length - offset;
    if (remaining === 0) throw new AgeError('payload', 'the payload ends without its final chunk (truncated)');
    const full = remaining >= CHUNK_SIZE + TAG;
    const chunk = sealed.subarray(offset, offset + (full ? CHUNK_SIZE + TAG : remaining));
    if (!full && counter > 0 && chunk.length === TAG) throw new AgeError('payload', 'the final chunk is empty');
    // A full-size chunk may be the final one: try it as a middle chunk first, as the reference reader does.
    let last = !full;
    let plain = chachaOpen(key, chunkNonce(counter, last), chunk);
    if (!plain && !last) {
      last = true;
      plain = chachaOpen(key, chunkNonce(counter, last), chunk);
    }
    if (!plain) throw new AgeError('payload', `payload chunk ${counter} does not authenticate (the file was altered or truncated)`);
    offset += chunk.length;
    yield plain;
    if (last) {
      if (offset !== sealed.length) throw new AgeError('payload', 'data after the final chunk');
      return;
    }
  }
}
