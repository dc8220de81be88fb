import { getAnnotation } from '@/lib/annotations/get-annotation';
import { openAnnotation } from '@/lib/annotations/open-annotation';
import { withAuth } from '@/lib/http/with-auth';

/** The caller's own label of this study (created on first open): 201 when new, 200 when it existed. */
export const POST = withAuth<{ projectId: string; studyId: string }>(
  async ({ user, params }) => {
    const { id, created } = await openAnnotation({ user, ...params });
    return Response.json(await getAnnotation(user, id), { status: created ? 201 : 200 });
  },
  { roles: ['radiologist'] },
);
