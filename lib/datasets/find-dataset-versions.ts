import { canUse } from '@/lib/consent/can-use';
import type { ConsentPurpose } from '@/lib/consent/purposes';
import { getDb } from '@/lib/db/client';
import { settleAbandonedVersions } from './publish/settle-abandoned-versions';

export type DatasetVersionView = {
  id: string;
  version: number | null;
  status: 'publishing' | 'published' | 'failed';
  jobId: string | null;
  encrypted: boolean;
  rootCid: string | null;
  manifestSha256: string | null;
  ledgerSeq: number | null;
  studyCount: number;
  fileCount: number;
  bytes: number;
  error: string | null;
  createdAt: string;
  publishedAt: string | null;
  /** Studies in it whose patients have since revoked (or let expire) the consent it was published under. */
  revokedStudies: number;
};

/** A dataset's versions, newest first, each published one with how many of its studies lost consent since. */
export async function findDatasetVersions(datasetId: string, purpose: ConsentPurpose): Promise<DatasetVersionView[]> {
  await settleAbandonedVersions(datasetId);
  const db = getDb();
  const rows = await db.datasetVersion.findMany({ where: { datasetId }, orderBy: { createdAt: 'desc' }, include: { studies: { select: { studyId: true } } } });
  const studyIds = [...new Set(rows.flatMap((r) => r.studies.map((s) => s.studyId)))];
  const consent = await canUse(studyIds, purpose);
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    status: r.status as DatasetVersionView['status'],
    jobId: r.jobId,
    encrypted: r.encrypted,
    rootCid: r.rootCid,
    manifestSha256: r.manifestSha256,
    ledgerSeq: r.ledgerSeq,
    studyCount: r.studyCount,
    fileCount: r.fileCount,
    bytes: Number(r.bytes),
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    publishedAt: r.publishedAt?.toISOString() ?? null,
    revokedStudies: r.status === 'published' ? r.studies.filter((s) => !consent.get(s.studyId)?.usable).length : 0,
  }));
}
