import { createHash } from 'node:crypto';
import { canonicalize } from '@/lib/ledger/canonical-json';
import { openNote, signNote, type Signer, type Verifier } from '@/lib/ledger/signed-note';
import type { Manifest } from './manifest-schema';

/** The first line of a manifest signature note: what the signed text claims to be. */
const SIGNATURE_HEADER = 'cohort-dataset-manifest/v1';

/** manifest.json as published: its RFC 8785 canonical JSON, so anyone re-serializing it gets the same hash. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(canonicalize(manifest), 'utf8');
}

/**
 * manifest.sig: a C2SP signed note by the ledger's key over "cohort-dataset-manifest/v1", the
 * ledger's origin and the manifest's SHA-256, so the same key and the same tools as checkpoints verify it.
 */
export function signManifest(bytes: Uint8Array, signer: Signer): string {
  return signNote(`${SIGNATURE_HEADER}\n${signer.name}\nsha256 ${createHash('sha256').update(bytes).digest('hex')}\n`, [signer]);
}

/** Whether `signature` is the ledger key's signature of exactly these manifest bytes; the reason when not. */
export function checkManifestSignature(bytes: Uint8Array, signature: string, verifier: Verifier): { ok: true } | { ok: false; reason: string } {
  let text: string;
  try {
    ({ text } = openNote(signature, [verifier]));
  } catch (err) {
    return { ok: false, reason: `manifest signature: ${(err as Error).message}` };
  }
  const [header, origin, hash] = text.split('\n');
  if (header !== SIGNATURE_HEADER || origin !== verifier.name) return { ok: false, reason: 'manifest signature: not a Cohort manifest signature of this ledger' };
  if (hash !== `sha256 ${createHash('sha256').update(bytes).digest('hex')}`) return { ok: false, reason: 'manifest signature: manifest.json is not the file that was signed (tampered or replaced)' };
  return { ok: true };
}
