import { decideConsent } from '@/lib/consent/decide-consent';
import { findMyConsents } from '@/lib/consent/find-my-consents';
import { ZDecideConsentInput } from '@/lib/consent/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** The patient's consents: each study's state per purpose, and every decision. */
export const GET = withAuth(async ({ user }) => Response.json(await findMyConsents(user.id)), { roles: ['patient'] });

/** A decision on one purpose for one study of theirs (`studyId`) or all of them (`studyId: null`). */
export const POST = withAuth(
  async ({ req, user }) => {
    const input = ZDecideConsentInput.parse(await readJson(req));
    return Response.json({ decisions: await decideConsent({ userId: user.id, input }) }, { status: 201 });
  },
  { roles: ['patient'] },
);
