import { findMyStudyAccesses } from '@/lib/access-log/find-my-study-accesses';
import { withAuth } from '@/lib/http/with-auth';

/** Who read the patient's own studies: one line per study, reader, way and day. */
export const GET = withAuth(async ({ user }) => Response.json({ accesses: await findMyStudyAccesses(user.id) }), { roles: ['patient'] });
