import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';
import { keyFileOf, openVersionKey, type DatasetKeyFile } from './version-key';

/** The key file of a private version (ML engineers and admins hand it to the people they share it with). */
export async function getVersionKey(versionId: string): Promise<DatasetKeyFile> {
  const row = await getDb().datasetVersion.findUnique({ where: { id: versionId }, select: { sealedKey: true, rootCid: true, status: true } });
  if (!row) throw new AppError('NOT_FOUND', 'No such dataset version.');
  if (!row.sealedKey) throw new AppError('NOT_FOUND', 'This version is an open dataset: it is published unencrypted and has no key.');
  if (row.status !== 'published') throw new AppError('CONFLICT', 'This version was not published.');
  return keyFileOf(openVersionKey(row.sealedKey), row.rootCid);
}
