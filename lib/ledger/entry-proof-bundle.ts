import { canonicalize } from './canonical-json';
import { CheckpointError, openCheckpoint } from './checkpoint';
import { leafHash, verifyInclusion } from './merkle';
import { decodeStrictBase64, NoteError, parseVerifierKey } from './signed-note';

/**
 * The proof that one fact is in the ledger, in the form datasets carry: the entry, its inclusion
 * proof against a signed checkpoint, and the log's public key. Framework-free and without I/O, so a
 * dataset's consumer can run `verifyEntryProof` anywhere, trusting neither Cohort's database nor server.
 */
export type EntryProofBundle = {
  format: 'cohort-ledger-proof/v1';
  entry: { seq: number; canonical: string };
  inclusion: { treeSize: number; proof: string[] };
  /** C2SP signed note holding a tlog-checkpoint of size `inclusion.treeSize`. */
  checkpoint: string;
  /** The log's verifier key (C2SP vkey). Pin the one you trust instead of believing this field. */
  verifierKey: string;
};

export type VerifiedEntry = { seq: number; type: string; actor: string; time: string; subjects: string[]; payload: Record<string, unknown> };

export type EntryProofVerdict = { ok: true; entry: VerifiedEntry; origin: string; treeSize: number } | { ok: false; reason: string };

export function verifyEntryProof(bundle: EntryProofBundle, { trustedVerifierKey }: { trustedVerifierKey?: string } = {}): EntryProofVerdict {
  if (bundle?.format !== 'cohort-ledger-proof/v1') return { ok: false, reason: 'not a cohort-ledger-proof/v1 bundle' };
  let verifier;
  try {
    verifier = parseVerifierKey(trustedVerifierKey ?? bundle.verifierKey);
  } catch (err) {
    return { ok: false, reason: `bad verifier key: ${(err as Error).message}` };
  }
  let checkpoint;
  try {
    checkpoint = openCheckpoint(bundle.checkpoint, verifier, verifier.name);
  } catch (err) {
    if (err instanceof NoteError || err instanceof CheckpointError) return { ok: false, reason: `checkpoint: ${err.message}` };
    throw err;
  }
  if (checkpoint.size !== bundle.inclusion.treeSize) return { ok: false, reason: 'the proof is for another tree size than the checkpoint' };

  let entry: VerifiedEntry;
  try {
    const parsed = JSON.parse(bundle.entry.canonical) as VerifiedEntry & { v: number };
    if (canonicalize(parsed) !== bundle.entry.canonical) return { ok: false, reason: 'the entry is not in canonical form' };
    if (parsed.v !== 1 || parsed.seq !== bundle.entry.seq) return { ok: false, reason: 'the entry does not say it is entry ' + bundle.entry.seq };
    entry = { seq: parsed.seq, type: parsed.type, actor: parsed.actor, time: parsed.time, subjects: parsed.subjects, payload: parsed.payload };
  } catch {
    return { ok: false, reason: 'the entry is not valid JSON' };
  }
  const proof = bundle.inclusion.proof.map(decodeStrictBase64);
  if (proof.some((p) => p === null)) return { ok: false, reason: 'the proof holds something that is not base64' };
  const included = verifyInclusion({
    leafHash: leafHash(Buffer.from(bundle.entry.canonical, 'utf8')),
    index: bundle.entry.seq,
    size: checkpoint.size,
    proof: proof as Buffer[],
    root: checkpoint.rootHash,
  });
  if (!included) return { ok: false, reason: 'the entry is not in the tree the checkpoint signs' };
  return { ok: true, entry, origin: checkpoint.origin, treeSize: checkpoint.size };
}
