import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

/** One study with its patient and series (in series-number order), or NOT_FOUND. */
export async function getStudy(id: string) {
  const study = await getDb().study.findUnique({
    where: { id },
    include: {
      patient: true,
      series: { orderBy: [{ seriesNumber: 'asc' }, { createdAt: 'asc' }] },
    },
  });
  if (!study) throw new AppError('NOT_FOUND', 'No such study.');
  return study;
}
