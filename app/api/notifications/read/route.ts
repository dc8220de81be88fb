import { withAuth } from '@/lib/http/with-auth';
import { readJson } from '@/lib/http/read-json';
import { markNotificationsRead } from '@/lib/notifications/mark-notifications-read';
import { ZMarkReadInput } from '@/lib/notifications/schemas';

export const POST = withAuth(async ({ req, user }) => {
  const { ids } = ZMarkReadInput.parse(await readJson(req));
  return Response.json(await markNotificationsRead(user.id, ids));
});
