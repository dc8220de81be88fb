import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { createProject } from '@/lib/projects/create-project';
import { findProjects } from '@/lib/projects/find-projects';
import { PROJECTS_MANAGE, PROJECTS_READ } from '@/lib/projects/project-roles';
import { ZCreateProjectInput } from '@/lib/projects/schemas';

export const GET = withAuth(async ({ user }) => Response.json({ projects: await findProjects(user) }), PROJECTS_READ);

export const POST = withAuth(async ({ req, user }) => {
  const input = ZCreateProjectInput.parse(await readJson(req));
  return Response.json(await createProject({ input, actorId: user.id }), { status: 201 });
}, PROJECTS_MANAGE);
