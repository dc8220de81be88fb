import { withAuth } from '@/lib/http/with-auth';
import { resetUserPassword } from '@/lib/users/reset-user-password';

/** Issues a new temporary password, returned once; the user is signed out everywhere. */
export const POST = withAuth<{ userId: string }>(
  async ({ params }) => Response.json(await resetUserPassword({ userId: params.userId })),
  { roles: ['admin'] },
);
