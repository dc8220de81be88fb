import { getAnnotation } from '@/lib/annotations/get-annotation';
import { saveAnnotation } from '@/lib/annotations/save-annotation';
import { MAX_LABEL_BYTES, ZSaveAnnotationInput } from '@/lib/annotations/schemas';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

export const GET = withAuth<{ annotationId: string }>(
  async ({ user, params }) => Response.json(await getAnnotation(user, params.annotationId)),
  { roles: ['radiologist', 'ml_engineer', 'admin'] },
);

/** Autosave (a draft), save (a version) or submit (a version, sent for review). */
export const PUT = withAuth<{ annotationId: string }>(
  async ({ req, user, params }) => {
    const input = ZSaveAnnotationInput.parse(await readLabel(req));
    return Response.json(await saveAnnotation({ user, annotationId: params.annotationId, input }));
  },
  { roles: ['radiologist'] },
);

/** A label body too large to be one is refused like any other malformed label (400), as the labeling API promises. */
async function readLabel(req: Request): Promise<unknown> {
  try {
    return await readJson(req, MAX_LABEL_BYTES);
  } catch (err) {
    if (isAppError(err, 'PAYLOAD_TOO_LARGE')) throw new AppError('BAD_REQUEST', `The label is larger than ${MAX_LABEL_BYTES / 1024 ** 2} MiB: no labelmap of a series takes that much (rle1 compresses it to kilobytes).`);
    throw err;
  }
}
