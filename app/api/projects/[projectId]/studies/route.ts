import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { ZAddProjectStudiesInput } from '@/lib/projects/schemas';

/** Adds studies by id, or every study a worklist query matches. */
export const POST = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  await requireProjectAccess(user, params.projectId, 'manage');
  const input = ZAddProjectStudiesInput.parse(await readJson(req));
  return Response.json(await addProjectStudies({ projectId: params.projectId, input }));
}, PROJECTS_MANAGE);
