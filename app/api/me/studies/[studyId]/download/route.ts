import { clientAddress } from '@/lib/http/client-address';
import { withAuth } from '@/lib/http/with-auth';
import { myStudyDownload } from '@/lib/patients/my-study-download';
import { archiveResponse } from '@/lib/studies/archive-response';

/** One of the patient's own studies as a zip of its original DICOM files with a DICOMDIR. */
export const GET = withAuth<{ studyId: string }>(
  async ({ req, user, params }) => archiveResponse(await myStudyDownload({ userId: user.id, studyId: params.studyId, as: 'dicom', address: clientAddress(req) }), req.signal),
  { roles: ['patient'] },
);
