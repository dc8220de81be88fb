import { areasFor } from '@/lib/auth/areas';
import { withAuth } from '@/lib/http/with-auth';

export const GET = withAuth(
  async ({ user }) =>
    Response.json({
      id: user.id,
      name: user.name,
      email: user.email,
      roles: user.roles,
      mustChangePassword: user.mustChangePassword,
      areas: areasFor(user.roles).map((a) => a.key),
    }),
  { allowPendingPasswordChange: true },
);
