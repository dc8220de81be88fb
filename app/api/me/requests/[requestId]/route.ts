import { z } from 'zod';
import { answerConsentRequest } from '@/lib/consent/answer-consent-request';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** The patient's answer to a request: `{ answer: "approve" | "decline" }`, recorded as a consent decision. */
export const POST = withAuth<{ requestId: string }>(
  async ({ req, user, params }) => {
    const { answer } = z.object({ answer: z.enum(['approve', 'decline']) }).strict().parse(await readJson(req));
    return Response.json({ decision: await answerConsentRequest({ userId: user.id, requestId: params.requestId, answer }) }, { status: 201 });
  },
  { roles: ['patient'] },
);
