import { AppError } from '@/lib/errors/app-error';
import { withAuth } from '@/lib/http/with-auth';
import { appendChunk, cancelUpload, getUpload } from '@/lib/uploads/upload-session';

type Params = { uploadId: string };

/** How many bytes of the upload the server holds: where to go on from after a dropped connection. */
export const GET = withAuth<Params>(
  async ({ user, params }) => {
    const { offset, size } = await getUpload(params.uploadId, user.id);
    return Response.json({ offset, size }, { headers: { 'cache-control': 'no-store' } });
  },
  { roles: ['admin'] },
);

/** Appends the body at `Upload-Offset` (which must be the server's offset: 409 otherwise). */
export const PATCH = withAuth<Params>(
  async ({ req, user, params }) => {
    const raw = req.headers.get('upload-offset') ?? '';
    if (!/^\d{1,15}$/.test(raw)) throw new AppError('BAD_REQUEST', 'Send the chunk\'s position in the file as an Upload-Offset header.');
    if (!req.body) throw new AppError('BAD_REQUEST', 'The request has no body.');
    // Node's ReadableStream is async-iterable; the DOM typings do not say so.
    return Response.json(await appendChunk(params.uploadId, user.id, Number(raw), req.body as unknown as AsyncIterable<Uint8Array>));
  },
  { roles: ['admin'] },
);

/** Abandons the upload and its bytes. */
export const DELETE = withAuth<Params>(
  async ({ user, params }) => {
    await cancelUpload(params.uploadId, user.id);
    return new Response(null, { status: 204 });
  },
  { roles: ['admin'] },
);
