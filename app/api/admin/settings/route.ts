import { withAuth } from '@/lib/http/with-auth';
import { readJson } from '@/lib/http/read-json';
import { getSettings } from '@/lib/settings/get-settings';
import { ZSettingsPatch } from '@/lib/settings/registry';
import { updateSettings } from '@/lib/settings/update-settings';

export const GET = withAuth(async () => Response.json(await getSettings()), { roles: ['admin'] });

export const PATCH = withAuth(
  async ({ req, user }) => {
    const patch = ZSettingsPatch.parse(await readJson(req));
    return Response.json(await updateSettings({ patch, actorId: user.id }));
  },
  { roles: ['admin'] },
);
