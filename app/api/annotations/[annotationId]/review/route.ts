import { reviewAnnotation } from '@/lib/annotations/review-annotation';
import { ZReviewInput } from '@/lib/annotations/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** Accept, or request changes (with a comment saying what). */
export const POST = withAuth<{ annotationId: string }>(
  async ({ req, user, params }) => {
    const input = ZReviewInput.parse(await readJson(req));
    return Response.json(await reviewAnnotation({ user, annotationId: params.annotationId, input }));
  },
  { roles: ['radiologist'] },
);
