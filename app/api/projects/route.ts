import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { createProject } from '@/lib/projects/create-project';
import { findProjects } from '@/lib/projects/find-projects';
import { PROJECTS_MANAGE, PROJECTS_READ } from '@/lib/projects/project-roles';
import { ZCreateProjectInput } from '@/lib/projects/schemas';

/** The projects the user sees; `?archived=1`: the archived ones instead (managers only see those). */
export const GET = withAuth(
  async ({ req, user }) => Response.json({ projects: await findProjects(user, { archived: new URL(req.url).searchParams.get('archived') === '1' }) }),
  PROJECTS_READ,
);

export const POST = withAuth(async ({ req, user }) => {
  const input = ZCreateProjectInput.parse(await readJson(req));
  return Response.json(await createProject({ input, actorId: user.id }), { status: 201 });
}, PROJECTS_MANAGE);
