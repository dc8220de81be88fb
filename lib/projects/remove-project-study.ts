import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/**
 * Takes a study out of a project. Refused once a reader has labeled it: labels are contributions on
 * the ledger and stay attached to the study they were made on.
 */
export async function removeProjectStudy({ projectId, studyId }: { projectId: string; studyId: string }): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const labeled = await tx.annotation.count({ where: { projectId, studyId, version: { gt: 0 } } });
    if (labeled) throw new AppError('CONFLICT', 'Readers have saved labels on this study: it stays in the project.');
    const { count } = await tx.projectStudy.deleteMany({ where: { projectId, studyId } });
    if (!count) throw new AppError('NOT_FOUND', 'The study is not in this project.');
    await tx.annotation.deleteMany({ where: { projectId, studyId } });
  });
}
