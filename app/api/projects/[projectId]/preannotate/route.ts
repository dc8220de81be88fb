import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { findProjectJobs, startPreannotation, ZStartPreannotationInput } from '@/lib/inference/start-preannotation';
import { kickJobRunner } from '@/lib/jobs/job-runner';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';

/** The project's pre-annotation jobs, newest first. */
export const GET = withAuth<{ projectId: string }>(async ({ user, params }) => Response.json({ jobs: await findProjectJobs(user, params.projectId) }), PROJECTS_MANAGE);

/** Queues pre-annotation of the project's series with a model: `{ modelName, seriesInstanceUids? }`. */
export const POST = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  const input = ZStartPreannotationInput.parse(await readJson(req));
  const started = await startPreannotation(user, params.projectId, input);
  void kickJobRunner();
  return Response.json(started, { status: 202 });
}, PROJECTS_MANAGE);
