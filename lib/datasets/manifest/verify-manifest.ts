import { canonicalize } from '@/lib/ledger/canonical-json';
import { verifyEntryProof } from '@/lib/ledger/entry-proof-bundle';
import { parseVerifierKey, type Verifier } from '@/lib/ledger/signed-note';
import { checkManifestSignature } from './manifest-signature';
import { ZManifest, type Manifest } from './manifest-schema';

export type ManifestVerdict = {
  ok: boolean;
  manifest: Manifest | null;
  /** Studies whose consent entry verified against the checkpoint and allows the dataset's use. */
  consentVerified: number;
  studies: number;
  problems: string[];
};

/**
 * Checks a dataset manifest without trusting Cohort: its schema, its signature by the ledger key
 * (`trustedVerifierKey` pins the key; otherwise the manifest's own is used, which only proves
 * integrity), and for every study that its consent entry is in the signed checkpoint's tree and is a
 * grant, for this use, for this study or all the patient's studies, made before publication and not
 * expired by then. Pure: no I/O, so the CLI and any other tool can run it.
 */
export function verifyManifest(bytes: Uint8Array, signature: string, { trustedVerifierKey }: { trustedVerifierKey?: string } = {}): ManifestVerdict {
  const problems: string[] = [];
  let manifest: Manifest;
  try {
    const parsed = ZManifest.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (!parsed.success) return fail(`manifest.json does not follow the manifest schema: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    manifest = parsed.data;
  } catch {
    return fail('manifest.json is not JSON');
  }
  if (canonicalize(manifest) !== Buffer.from(bytes).toString('utf8')) problems.push('manifest.json is not in canonical form');

  let verifier: Verifier;
  const key = trustedVerifierKey ?? manifest.ledger.verifierKey;
  try {
    verifier = parseVerifierKey(key);
  } catch (err) {
    return { ...fail(`the ledger key is not a valid verifier key: ${(err as Error).message}`), manifest };
  }
  if (trustedVerifierKey && trustedVerifierKey !== manifest.ledger.verifierKey) problems.push('the manifest names another ledger key than the one you trust');
  const signed = checkManifestSignature(bytes, signature, verifier);
  if (!signed.ok) problems.push(signed.reason);

  let consentVerified = 0;
  const publishedAt = manifest.createdAt;
  for (const study of manifest.studies) {
    const verdict = verifyEntryProof(
      {
        format: 'cohort-ledger-proof/v1',
        entry: { seq: study.consent.seq, canonical: study.consent.canonical },
        inclusion: { treeSize: manifest.checkpoint.treeSize, proof: study.consent.proof },
        checkpoint: manifest.checkpoint.note,
        verifierKey: key,
      },
      { trustedVerifierKey: key },
    );
    if (!verdict.ok) {
      problems.push(`${study.id}: consent entry ${study.consent.seq}: ${verdict.reason}`);
      continue;
    }
    const { entry } = verdict;
    const validUntil = entry.payload.validUntil;
    const why =
      entry.type !== 'consent.granted'
        ? `it is a ${entry.type}, not a grant`
        : entry.payload.purpose !== manifest.dataset.purpose
          ? `it grants ${String(entry.payload.purpose)}, not ${manifest.dataset.purpose}`
          : !entry.subjects.includes(study.ledgerPatient)
            ? 'it is another patient’s decision'
            : !(entry.subjects.includes(study.ledgerStudy) || entry.subjects.includes('all_studies'))
              ? 'it is about another study'
              : entry.time > publishedAt
                ? 'it was made after publication'
                : typeof validUntil === 'string' && validUntil <= publishedAt
                  ? 'it had expired at publication'
                  : null;
    if (why) problems.push(`${study.id}: consent entry ${study.consent.seq} does not allow this use: ${why}`);
    else consentVerified += 1;
  }
  return { ok: problems.length === 0, manifest, consentVerified, studies: manifest.studies.length, problems };

  function fail(problem: string): ManifestVerdict {
    return { ok: false, manifest: null, consentVerified: 0, studies: 0, problems: [problem] };
  }
}
