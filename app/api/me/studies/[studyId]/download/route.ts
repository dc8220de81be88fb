import { clientAddress } from '@/lib/http/client-address';
import { withAuth } from '@/lib/http/with-auth';
import { myStudyArchive } from '@/lib/patients/my-study-archive';

/**
 * One of the patient's own studies as a zip of its original DICOM files with a DICOMDIR, streamed
 * with its exact length. An interrupted download leaves nothing behind (nothing is staged), and a
 * retry gets the very same bytes.
 */
export const GET = withAuth<{ studyId: string }>(
  async ({ req, user, params }) => {
    const archive = await myStudyArchive({ userId: user.id, studyId: params.studyId, address: clientAddress(req) });
    const bytes = archive.bytes(req.signal);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await bytes.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await bytes.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'application/zip',
        'content-length': String(archive.length),
        'content-disposition': `attachment; filename="${archive.filename}"`,
        'cache-control': 'private, no-store',
      },
    });
  },
  { roles: ['patient'] },
);
