import { withAuth } from '@/lib/http/with-auth';
import { getProject } from '@/lib/projects/get-project';
import { PROJECTS_READ } from '@/lib/projects/project-roles';

export const GET = withAuth<{ projectId: string }>(async ({ user, params }) => Response.json(await getProject(user, params.projectId)), PROJECTS_READ);
