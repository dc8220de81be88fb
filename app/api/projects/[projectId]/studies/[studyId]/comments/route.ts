import { ZCommentInput } from '@/lib/annotations/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { addComment, findComments } from '@/lib/projects/comments';
import { PROJECTS_READ } from '@/lib/projects/project-roles';

type Params = { projectId: string; studyId: string };

export const GET = withAuth<Params>(async ({ user, params }) => Response.json({ comments: await findComments(user, params.projectId, params.studyId) }), PROJECTS_READ);

export const POST = withAuth<Params>(async ({ req, user, params }) => {
  const { body } = ZCommentInput.parse(await readJson(req));
  return Response.json(await addComment({ user, ...params, body }), { status: 201 });
}, PROJECTS_READ);
