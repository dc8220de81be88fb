import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { addSchemaVersion } from '@/lib/projects/add-schema-version';
import { requireProjectAccess } from '@/lib/projects/project-access';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';
import { ZSchemaVersionInput } from '@/lib/projects/schemas';

/** Publishes a new label schema version: 201 when it is new, 200 when identical to the latest. */
export const POST = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  await requireProjectAccess(user, params.projectId, 'manage');
  const { schema } = ZSchemaVersionInput.parse(await readJson(req));
  const result = await addSchemaVersion({ projectId: params.projectId, schema, actorId: user.id });
  return Response.json(result, { status: result.created ? 201 : 200 });
}, PROJECTS_MANAGE);
