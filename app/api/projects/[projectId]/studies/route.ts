import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { preannotateAddedStudies } from '@/lib/inference/start-preannotation';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { ZAddProjectStudiesInput } from '@/lib/projects/schemas';

/** Adds studies by id, or every study a worklist query matches; their patients are asked for the project's consent purpose, and its model, if any, starts pre-annotating them. */
export const POST = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  await requireProjectAccess(user, params.projectId, 'manage');
  const input = ZAddProjectStudiesInput.parse(await readJson(req));
  const { added, alreadyIn, addedStudyIds, consentRequests } = await addProjectStudies({ projectId: params.projectId, input });
  return Response.json({ added, alreadyIn, consentRequests, preannotation: await preannotateAddedStudies(user, params.projectId, addedStudyIds) });
}, PROJECTS_MANAGE);
