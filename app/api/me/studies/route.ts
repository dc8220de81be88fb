import { withAuth } from '@/lib/http/with-auth';
import { findMyStudies } from '@/lib/patients/find-my-studies';

/** The signed-in patient's own studies. */
export const GET = withAuth(async ({ user }) => Response.json({ studies: await findMyStudies(user.id) }), { roles: ['patient'] });
