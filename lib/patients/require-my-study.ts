import { recordAccess } from '@/lib/access-log/record-access';
import type { AccessHow } from '@/lib/access-log/access-event';
import { getDb, type Prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors/app-error';

type MyStudyAccess<S extends Prisma.StudySelect> = {
  userId: string;
  studyId: string;
  /** How the patient is reading it, for the access log should the study not be theirs. */
  how: AccessHow;
  address?: string | null;
  select: S;
};

/**
 * One of the patient's own studies, or NOT_FOUND (whether the study is someone else's or does not
 * exist is not revealed). A refusal goes to the access log: a patient trying other studies' ids is
 * what an admin wants to see there.
 */
export async function requireMyStudy<S extends Prisma.StudySelect>({ userId, studyId, how, address, select }: MyStudyAccess<S>) {
  const study = await getDb().study.findFirst({ where: { id: studyId, patient: { link: { userId } } }, select });
  if (!study) {
    recordAccess({ study: { id: studyId }, by: { kind: 'user', userId, role: 'patient' }, how, outcome: 'denied', address });
    throw new AppError('NOT_FOUND', 'No such study among yours.');
  }
  return study;
}
