import { canUse } from '@/lib/consent/can-use';
import type { ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import type { EntryProofBundle } from '@/lib/ledger/entry-proof-bundle';
import { getEntryProofBundle } from '@/lib/ledger/get-entry-proof-bundle';

/**
 * revocations.json of a published version: its studies whose patients have since taken back the use it
 * was published for (revoked, declined, or let the grant expire), each with the ledger entry that says
 * so and its inclusion proof, so a holder checks it against the ledger's key rather than trusting Cohort.
 * Pseudonyms only; public like the version itself.
 */
export type VersionRevocations = {
  format: 'cohort-dataset-revocations/v1';
  rootCid: string;
  version: number;
  checkedAt: string;
  revoked: { study: string; state: 'revoked' | 'denied' | 'expired'; proof: EntryProofBundle }[];
};

export async function findVersionRevocations(rootCid: string): Promise<VersionRevocations> {
  const db = getDb();
  const version = await db.datasetVersion.findFirst({
    where: { rootCid, status: 'published' },
    select: { version: true, dataset: { select: { purpose: true } }, studies: { select: { studyId: true, pseudonym: true } } },
  });
  if (!version) throw new AppError('NOT_FOUND', 'No dataset version was published with this CID here.');
  const checkedAt = new Date();
  const consent = await canUse(
    version.studies.map((s) => s.studyId),
    version.dataset.purpose as ConsentPurpose,
    checkedAt,
  );
  const revoked: VersionRevocations['revoked'] = [];
  for (const s of version.studies) {
    const status = consent.get(s.studyId);
    if (!status || status.usable || status.ledgerSeq === null) continue;
    if (status.state !== 'revoked' && status.state !== 'denied' && status.state !== 'expired') continue;
    revoked.push({ study: s.pseudonym, state: status.state, proof: await getEntryProofBundle(status.ledgerSeq) });
  }
  return { format: 'cohort-dataset-revocations/v1', rootCid, version: version.version!, checkedAt: checkedAt.toISOString(), revoked };
}
