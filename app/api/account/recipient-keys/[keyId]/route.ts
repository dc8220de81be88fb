import { withAuth } from '@/lib/http/with-auth';
import { RECIPIENT_KEY_ROLES } from '@/lib/recipient-keys/recipient-key-roles';
import { revokeRecipientKey } from '@/lib/recipient-keys/revoke-recipient-key';

/** Removes one of the signed-in user's keys: no new grant to it (files already wrapped to it stay readable). */
export const DELETE = withAuth<{ keyId: string }>(
  async ({ user, params }) => {
    await revokeRecipientKey(user.id, params.keyId);
    return new Response(null, { status: 204 });
  },
  { roles: RECIPIENT_KEY_ROLES },
);
