import { withAuth } from '@/lib/http/with-auth';
import { readJson } from '@/lib/http/read-json';
import { broadcastNotification } from '@/lib/notifications/broadcast-notification';
import { ZBroadcastInput } from '@/lib/notifications/schemas';

/** Sends an announcement to every active user, or to the holders of the given roles. */
export const POST = withAuth(
  async ({ req }) => {
    const input = ZBroadcastInput.parse(await readJson(req));
    return Response.json(await broadcastNotification(input), { status: 201 });
  },
  { roles: ['admin'] },
);
