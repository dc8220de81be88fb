import { getDb } from '@/lib/db/client';
import { toVersionGrantView, VERSION_GRANT_SELECT, type VersionGrantView } from './version-grant-view';

/** Every grant of a dataset's versions, oldest first, keyed by version id (the dataset page). */
export async function findDatasetGrants(datasetId: string): Promise<Record<string, VersionGrantView[]>> {
  const db = getDb();
  const rows = await db.datasetVersionGrant.findMany({ where: { version: { datasetId } }, orderBy: { createdAt: 'asc' }, select: VERSION_GRANT_SELECT });
  const granters = new Map((await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.grantedById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const byVersion: Record<string, VersionGrantView[]> = {};
  for (const r of rows) (byVersion[r.versionId] ??= []).push(toVersionGrantView(r, granters));
  return byVersion;
}
