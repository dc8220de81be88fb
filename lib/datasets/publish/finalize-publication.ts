import { canUse } from '@/lib/consent/can-use';
import type { ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import { appendEntry, lockLedger } from '@/lib/ledger/append-entry';
import { pseudonymOf } from '@/lib/ledger/pseudonym';

/** Consent changed for some studies while the version was being prepared: prepare it again without them. */
export class ConsentChangedError extends Error {
  constructor(readonly studyIds: string[]) {
    super(`Consent changed for ${studyIds.length} ${studyIds.length === 1 ? 'study' : 'studies'} during publication.`);
  }
}

export type FinalStudy = { studyId: string; split: string; pseudonym: string; consentLedgerSeq: number };

/**
 * Publishes a prepared version in one transaction: the ledger is locked first, then every study's
 * consent is checked again through canUse on this transaction, so a revocation is either committed
 * before (and the version is prepared again without the study: ConsentChangedError) or ordered after
 * the `dataset.published` entry in the ledger. Then the version gets its number, its studies and its
 * entry (root CID, manifest hash), all or nothing.
 */
export async function finalizePublication(opts: {
  versionId: string;
  datasetId: string;
  actorId: string;
  purpose: ConsentPurpose;
  encrypted: boolean;
  rootCid: string;
  manifestSha256: string;
  checkpointSize: number;
  studies: readonly FinalStudy[];
  fileCount: number;
  bytes: number;
  summary: unknown;
}): Promise<{ version: number; ledgerSeq: number }> {
  return getDb().$transaction(
    async (tx) => {
      // PostgreSQL: the append lock before any read. SQLite: transactions begin IMMEDIATE (lib/db/serialized-sqlite.ts), so nothing else writes until this one ends.
      await lockLedger(tx);
      const consent = await canUse(
        opts.studies.map((s) => s.studyId),
        opts.purpose,
        new Date(),
        tx,
      );
      const changed = opts.studies.filter((s) => {
        const now = consent.get(s.studyId);
        return !now?.usable || now.ledgerSeq !== s.consentLedgerSeq;
      });
      if (changed.length) throw new ConsentChangedError(changed.map((s) => s.studyId));

      const last = await tx.datasetVersion.aggregate({ where: { datasetId: opts.datasetId }, _max: { version: true } });
      const version = (last._max.version ?? 0) + 1;
      const entry = await appendEntry(tx, {
        type: 'dataset.published',
        actor: pseudonymOf(opts.actorId),
        subjects: [opts.datasetId, opts.versionId, opts.rootCid],
        payload: {
          version,
          rootCid: opts.rootCid,
          manifestSha256: opts.manifestSha256,
          purpose: opts.purpose,
          encrypted: opts.encrypted,
          studies: opts.studies.length,
          files: opts.fileCount,
          bytes: opts.bytes,
          checkpointSize: opts.checkpointSize,
        },
      });
      await tx.datasetVersionStudy.createMany({ data: opts.studies.map((s) => ({ versionId: opts.versionId, ...s })) });
      await tx.datasetVersion.update({
        where: { id: opts.versionId },
        data: {
          status: 'published',
          version,
          rootCid: opts.rootCid,
          manifestSha256: opts.manifestSha256,
          ledgerSeq: entry.seq,
          checkpointSize: opts.checkpointSize,
          studyCount: opts.studies.length,
          fileCount: opts.fileCount,
          bytes: BigInt(opts.bytes),
          summary: JSON.stringify(opts.summary),
          publishedAt: entry.recordedAt,
          error: null,
        },
      });
      return { version, ledgerSeq: entry.seq };
    },
    { timeout: 60_000 },
  );
}
