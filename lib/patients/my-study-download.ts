import { recordAccess } from '@/lib/access-log/record-access';
import { studyArchive, type StudyArchive } from '@/lib/studies/study-archive';
import { studyImagesArchive } from '@/lib/studies/study-images-archive';
import { requireMyStudy } from './require-my-study';

/**
 * One of the patient's own studies to take away: its original DICOM files with a DICOMDIR (`dicom`),
 * or PNG pictures for people without a DICOM viewer (`pictures`). Logged as the patient's download.
 */
export async function myStudyDownload({ userId, studyId, as, address }: { userId: string; studyId: string; as: 'dicom' | 'pictures'; address?: string | null }): Promise<StudyArchive> {
  const study = await requireMyStudy({ userId, studyId, how: 'download', address, select: { id: true } });
  const archive = as === 'dicom' ? await studyArchive(study.id) : await studyImagesArchive(study.id);
  recordAccess({ study: { id: study.id }, by: { kind: 'user', userId, role: 'patient' }, how: 'download', address });
  return archive;
}
