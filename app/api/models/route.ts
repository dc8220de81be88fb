import { AREAS } from '@/lib/auth/areas';
import { withAuth } from '@/lib/http/with-auth';
import { installModel } from '@/lib/inference/install-model';
import { listModels, type RegisteredModel } from '@/lib/inference/registry';

const MODELS = { roles: [...AREAS.models.roles] };

/** Where a model's folder is stays on the server. */
const publicView = ({ dir: _, ...model }: RegisteredModel) => model;

/** The registry: every model, ready or not (with the reasons why not). */
export const GET = withAuth(async () => Response.json({ models: (await listModels()).map(publicView) }), MODELS);

/** Adds a model: multipart/form-data with `manifest` (manifest.json) and `model` (the .onnx file). */
export const POST = withAuth(async ({ req, user }) => {
  const model = await installModel({ body: req.body, contentType: req.headers.get('content-type'), actorUserId: user.id });
  return Response.json(publicView(model), { status: 201 });
}, MODELS);
