import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { ZStartUpload } from '@/lib/uploads/schemas';
import { startUpload } from '@/lib/uploads/upload-session';

/**
 * Starts a resumable upload of one large file (a zip archive, a big DICOM file): `{ name, size, type }`.
 * The browser then PATCHes its chunks to /api/uploads/{id} and POSTs …/complete.
 */
export const POST = withAuth(
  async ({ req, user }) => {
    const { id, offset } = await startUpload(user.id, ZStartUpload.parse(await readJson(req)));
    return Response.json({ id, offset }, { status: 201 });
  },
  { roles: ['admin'] },
);
