import { getDb } from '@/lib/db/client';
import { grantDownloadUrl } from './version-grant-view';

/** A private version shared with one of the user's keys, as their account page lists it. */
export type UserGrantView = {
  id: string;
  dataset: string;
  version: number | null;
  rootCid: string | null;
  keyLabel: string;
  keyRevoked: boolean;
  createdAt: string;
  downloadUrl: string;
};

/** The versions shared with any of the user's keys (removed keys too), newest first. */
export async function findUserGrants(userId: string): Promise<UserGrantView[]> {
  const rows = await getDb().datasetVersionGrant.findMany({
    where: { recipientKey: { userId } },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: {
      id: true,
      versionId: true,
      createdAt: true,
      recipientKey: { select: { label: true, revokedAt: true } },
      version: { select: { version: true, rootCid: true, dataset: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    dataset: r.version.dataset.name,
    version: r.version.version,
    rootCid: r.version.rootCid,
    keyLabel: r.recipientKey.label,
    keyRevoked: r.recipientKey.revokedAt !== null,
    createdAt: r.createdAt.toISOString(),
    downloadUrl: grantDownloadUrl(r.versionId, r.id),
  }));
}
