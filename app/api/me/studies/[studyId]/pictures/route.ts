import { clientAddress } from '@/lib/http/client-address';
import { withAuth } from '@/lib/http/with-auth';
import { myStudyDownload } from '@/lib/patients/my-study-download';
import { archiveResponse } from '@/lib/studies/archive-response';

/** One of the patient's own studies as PNG pictures in a zip, for people without a DICOM viewer. */
export const GET = withAuth<{ studyId: string }>(
  async ({ req, user, params }) => archiveResponse(await myStudyDownload({ userId: user.id, studyId: params.studyId, as: 'pictures', address: clientAddress(req) }), req.signal),
  { roles: ['patient'] },
);
