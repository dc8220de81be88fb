import { withAuth } from '@/lib/http/with-auth';
import { setUserActive } from '@/lib/users/set-user-active';

export const POST = withAuth<{ userId: string }>(
  async ({ user, params }) =>
    Response.json(await setUserActive({ userId: params.userId, active: true, actorId: user.id })),
  { roles: ['admin'] },
);
