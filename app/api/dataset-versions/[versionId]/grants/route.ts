import { DATASETS_MANAGE } from '@/lib/datasets/dataset-roles';
import { createVersionGrant } from '@/lib/datasets/grants/create-version-grant';
import { findVersionGrants } from '@/lib/datasets/grants/find-version-grants';
import { ZCreateVersionGrant } from '@/lib/datasets/grants/schemas';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';

/** Who a private version is shared with: key, owner, who shared it and when. */
export const GET = withAuth<{ versionId: string }>(async ({ params }) => Response.json({ grants: await findVersionGrants(params.versionId) }), DATASETS_MANAGE);

/** Shares a published private version with a registered key: 201 with the grant, 200 when it was already shared with it. */
export const POST = withAuth<{ versionId: string }>(async ({ req, user, params }) => {
  const input = ZCreateVersionGrant.parse(await readJson(req));
  const { id, created } = await createVersionGrant({ ...input, versionId: params.versionId, actorId: user.id });
  const grant = (await findVersionGrants(params.versionId)).find((g) => g.id === id);
  return Response.json({ grant }, { status: created ? 201 : 200 });
}, DATASETS_MANAGE);
