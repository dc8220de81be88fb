import { ACCESS_TOKEN_ROLES } from '@/lib/access-tokens/access-token-roles';
import { createAccessToken } from '@/lib/access-tokens/create-access-token';
import { findAccessTokens } from '@/lib/access-tokens/find-access-tokens';
import { ZCreateAccessToken } from '@/lib/access-tokens/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** The signed-in user's access tokens (never their values). */
export const GET = withAuth(async ({ user }) => Response.json({ tokens: await findAccessTokens(user.id) }), { roles: ACCESS_TOKEN_ROLES });

/** A new token for the signed-in user: its value is in this answer and nowhere else, ever. */
export const POST = withAuth(
  async ({ req, user }) => {
    const { token, view } = await createAccessToken(user.id, ZCreateAccessToken.parse(await readJson(req)));
    return Response.json({ token, accessToken: view }, { status: 201, headers: { 'cache-control': 'no-store' } });
  },
  { roles: ACCESS_TOKEN_ROLES },
);
