import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { toVersionGrantView, VERSION_GRANT_SELECT, type VersionGrantView } from './version-grant-view';

/** One version's grants, oldest first; NOT_FOUND for a version that does not exist. */
export async function findVersionGrants(versionId: string): Promise<VersionGrantView[]> {
  const db = getDb();
  if (!(await db.datasetVersion.count({ where: { id: versionId } }))) throw new AppError('NOT_FOUND', 'No such dataset version.');
  const rows = await db.datasetVersionGrant.findMany({ where: { versionId }, orderBy: { createdAt: 'asc' }, select: VERSION_GRANT_SELECT });
  const granters = new Map((await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.grantedById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((r) => toVersionGrantView(r, granters));
}
