import { getAnnotation } from '@/lib/annotations/get-annotation';
import { saveAnnotation } from '@/lib/annotations/save-annotation';
import { MAX_LABEL_BYTES, ZSaveAnnotationInput } from '@/lib/annotations/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

export const GET = withAuth<{ annotationId: string }>(
  async ({ user, params }) => Response.json(await getAnnotation(user, params.annotationId)),
  { roles: ['radiologist', 'ml_engineer', 'admin'] },
);

/** Autosave (a draft), save (a version) or submit (a version, sent for review). */
export const PUT = withAuth<{ annotationId: string }>(
  async ({ req, user, params }) => {
    const input = ZSaveAnnotationInput.parse(await readJson(req, MAX_LABEL_BYTES));
    return Response.json(await saveAnnotation({ user, annotationId: params.annotationId, input }));
  },
  { roles: ['radiologist'] },
);
