import { withAuth } from '@/lib/http/with-auth';
import { myStudyThumbnail } from '@/lib/patients/my-study-thumbnail';

/** A thumbnail of one of the patient's own studies. */
export const GET = withAuth<{ studyId: string }>(async ({ user, params }) => myStudyThumbnail({ userId: user.id, studyId: params.studyId }), { roles: ['patient'] });
