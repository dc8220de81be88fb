import { findMyRequests } from '@/lib/consent/find-my-requests';
import { withAuth } from '@/lib/http/with-auth';

/** Requests to use the patient's studies that wait for their answer. */
export const GET = withAuth(async ({ user }) => Response.json({ requests: await findMyRequests(user.id) }), { roles: ['patient'] });
