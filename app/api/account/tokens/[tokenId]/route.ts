import { ACCESS_TOKEN_ROLES } from '@/lib/access-tokens/access-token-roles';
import { revokeAccessToken } from '@/lib/access-tokens/revoke-access-token';
import { withAuth } from '@/lib/http/with-auth';

/** Revokes one of the signed-in user's tokens. */
export const DELETE = withAuth<{ tokenId: string }>(
  async ({ user, params }) => {
    await revokeAccessToken(user.id, params.tokenId);
    return new Response(null, { status: 204 });
  },
  { roles: ACCESS_TOKEN_ROLES },
);
