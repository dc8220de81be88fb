import { withAuth } from '@/lib/http/with-auth';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { removeProjectStudy } from '@/lib/projects/remove-project-study';

export const DELETE = withAuth<{ projectId: string; studyId: string }>(async ({ user, params }) => {
  await requireProjectAccess(user, params.projectId, 'manage');
  await removeProjectStudy(params);
  return new Response(null, { status: 204 });
}, PROJECTS_MANAGE);
