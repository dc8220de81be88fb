import { ingestUploadedFile } from '@/lib/dicom/ingest-upload';
import { withAuth } from '@/lib/http/with-auth';
import { completeUpload } from '@/lib/uploads/upload-session';

/** Every byte has arrived: ingest the file (as /api/ingest would) and answer with each file's outcome. */
export const POST = withAuth<{ uploadId: string }>(
  async ({ user, params }) => {
    const outcomes = await completeUpload(params.uploadId, user.id, (session, file) =>
      ingestUploadedFile({ file, type: session.type, name: session.name, actorUserId: user.id }),
    );
    return Response.json({ outcomes });
  },
  { roles: ['admin'] },
);
