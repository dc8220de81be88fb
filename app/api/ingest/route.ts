import { ingestUpload } from '@/lib/dicom/ingest-upload';
import { withAuth } from '@/lib/http/with-auth';

/**
 * One uploaded file, DICOM or a zip archive of DICOM: the result of each file in it (stored,
 * already stored, or refused and why). The browser's upload page sends files here one by one.
 */
export const POST = withAuth(
  async ({ req, user }) => {
    const name = decodeURIComponent(req.headers.get('x-file-name') ?? 'upload').slice(0, 512);
    const outcomes = await ingestUpload({ body: req.body, contentType: req.headers.get('content-type'), name, actorUserId: user.id });
    return Response.json({ outcomes });
  },
  { roles: ['admin'] },
);
