import { withAuth } from '@/lib/http/with-auth';
import { readJson } from '@/lib/http/read-json';
import { createUser } from '@/lib/users/create-user';
import { findUsers } from '@/lib/users/find-users';
import { ZCreateUserInput, ZFindUsersQuery } from '@/lib/users/schemas';

export const GET = withAuth(
  async ({ req }) => {
    const query = ZFindUsersQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    return Response.json({ users: await findUsers(query) });
  },
  { roles: ['admin'] },
);

/** Creates a user; the response carries the (temporary) password once. */
export const POST = withAuth(
  async ({ req, user }) => {
    const input = ZCreateUserInput.parse(await readJson(req));
    return Response.json(await createUser({ input, actorId: user.id }), { status: 201 });
  },
  { roles: ['admin'] },
);
