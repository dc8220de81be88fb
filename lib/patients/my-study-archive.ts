import { recordAccess } from '@/lib/access-log/record-access';
import { studyArchive, type StudyArchive } from '@/lib/studies/study-archive';
import { requireMyStudy } from './require-my-study';

/** One of the patient's own studies as a zip of its original files with a DICOMDIR (see studyArchive); logged as their download. */
export async function myStudyArchive({ userId, studyId, address }: { userId: string; studyId: string; address?: string | null }): Promise<StudyArchive> {
  const study = await requireMyStudy({ userId, studyId, how: 'download', address, select: { id: true } });
  const archive = await studyArchive(study.id);
  recordAccess({ study: { id: study.id }, by: { kind: 'user', userId, role: 'patient' }, how: 'download', address });
  return archive;
}
