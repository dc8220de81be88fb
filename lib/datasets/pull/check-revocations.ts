import { verifyEntryProof } from '@/lib/ledger/entry-proof-bundle';
import type { Manifest } from '../manifest/manifest-schema';
import type { VersionRevocations } from '../find-version-revocations';

export type RevocationCheck = {
  /** Studies whose patients took back the use since publication, each proven by a ledger entry. */
  revoked: { study: string; state: string; seq: number }[];
  /** Entries in revocations.json that did not prove anything (bad proof, another study, another use). */
  problems: string[];
};

/**
 * Checks a version's revocations.json against its manifest and the ledger key: a revocation counts only
 * when its entry verifies against a checkpoint signed by that key, is about a study of this version
 * (its patient, and that study or all their studies), for this version's use, and came after the consent
 * the manifest cites. A revoked, declined or expired decision flags the study.
 */
export function checkRevocations(manifest: Manifest, revocations: VersionRevocations, trustedVerifierKey: string): RevocationCheck {
  const out: RevocationCheck = { revoked: [], problems: [] };
  const studies = new Map(manifest.studies.map((s) => [s.id, s]));
  for (const r of revocations.revoked) {
    const study = studies.get(r.study);
    if (!study) {
      out.problems.push(`revocations.json names ${r.study}, which is not in this version`);
      continue;
    }
    const verdict = verifyEntryProof(r.proof, { trustedVerifierKey });
    if (!verdict.ok) {
      out.problems.push(`${r.study}: its revocation entry does not verify: ${verdict.reason}`);
      continue;
    }
    const { entry } = verdict;
    const about = entry.subjects.includes(study.ledgerPatient) && (entry.subjects.includes(study.ledgerStudy) || entry.subjects.includes('all_studies'));
    const kind = entry.type === 'consent.revoked' || entry.type === 'consent.denied' || (entry.type === 'consent.granted' && typeof entry.payload.validUntil === 'string' && entry.payload.validUntil <= revocations.checkedAt);
    if (!about || entry.payload.purpose !== manifest.dataset.purpose || !kind || entry.seq <= study.consent.seq) {
      out.problems.push(`${r.study}: entry ${entry.seq} does not take back this version's consent`);
      continue;
    }
    out.revoked.push({ study: r.study, state: r.state, seq: entry.seq });
  }
  return out;
}
