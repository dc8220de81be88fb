import { withAuth } from '@/lib/http/with-auth';
import { readJson } from '@/lib/http/read-json';
import { getUser } from '@/lib/users/get-user';
import { ZUpdateUserInput } from '@/lib/users/schemas';
import { updateUser } from '@/lib/users/update-user';

type Params = { userId: string };

export const GET = withAuth<Params>(async ({ params }) => Response.json(await getUser(params.userId)), {
  roles: ['admin'],
});

/** Renames a user and/or replaces their roles. */
export const PATCH = withAuth<Params>(
  async ({ req, user, params }) => {
    const input = ZUpdateUserInput.parse(await readJson(req));
    return Response.json(await updateUser({ userId: params.userId, input, actorId: user.id }));
  },
  { roles: ['admin'] },
);
