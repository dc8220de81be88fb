import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { ZProjectMembersInput } from '@/lib/projects/schemas';
import { setProjectMembers } from '@/lib/projects/set-project-members';

/** Replaces the readers and reviewers. */
export const PUT = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  await requireProjectAccess(user, params.projectId, 'manage');
  const members = ZProjectMembersInput.parse(await readJson(req));
  await setProjectMembers({ projectId: params.projectId, members });
  return new Response(null, { status: 204 });
}, PROJECTS_MANAGE);
