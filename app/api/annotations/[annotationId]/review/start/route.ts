import { startReview } from '@/lib/annotations/review-annotation';
import { withAuth } from '@/lib/http/with-auth';

export const POST = withAuth<{ annotationId: string }>(
  async ({ user, params }) => Response.json(await startReview({ user, annotationId: params.annotationId })),
  { roles: ['radiologist'] },
);
