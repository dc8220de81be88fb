import { withAuth } from '@/lib/http/with-auth';
import { revokeShareLink } from '@/lib/share-links/revoke-share-link';

/** Withdraws one of the patient's links: it stops working at once. */
export const DELETE = withAuth<{ linkId: string }>(async ({ user, params }) => Response.json({ link: await revokeShareLink({ userId: user.id, linkId: params.linkId }) }), {
  roles: ['patient'],
});
