import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { setProjectArchived } from '@/lib/projects/archive-project';
import { getProject } from '@/lib/projects/get-project';
import { PROJECTS_MANAGE, PROJECTS_READ } from '@/lib/projects/project-roles';
import { ZArchiveProjectInput } from '@/lib/projects/schemas';

export const GET = withAuth<{ projectId: string }>(async ({ user, params }) => Response.json(await getProject(user, params.projectId)), PROJECTS_READ);

/** Archives (`{ "archived": true }`) or restores the project. */
export const PATCH = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  const { archived } = ZArchiveProjectInput.parse(await readJson(req));
  return Response.json(await setProjectArchived({ user, projectId: params.projectId, archived }));
}, PROJECTS_MANAGE);
