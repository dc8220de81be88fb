import { getDb, type Prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/**
 * One study with its patient and series (in series-number order), or NOT_FOUND; `visible` limits
 * it to the studies a user may open (lib/projects/study-access.ts), so forbidden looks missing.
 */
export async function getStudy(id: string, visible: Prisma.StudyWhereInput) {
  const study = await getDb().study.findFirst({
    where: { AND: [{ id }, visible] },
    include: {
      patient: true,
      series: { orderBy: [{ seriesNumber: 'asc' }, { createdAt: 'asc' }] },
    },
  });
  if (!study) throw new AppError('NOT_FOUND', 'No such study.');
  return study;
}
