import { withAuth } from '@/lib/http/with-auth';
import { findNotifications } from '@/lib/notifications/find-notifications';

export const GET = withAuth(async ({ user }) => Response.json(await findNotifications(user.id)));
