import { withAuth } from '@/lib/http/with-auth';
import { requireJobAccess } from '@/lib/jobs/job-access';
import { requestCancel } from '@/lib/jobs/job-queue';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';

/** Stops a job: a queued one never starts, a running one stops after its current batch, storing nothing. */
export const POST = withAuth<{ jobId: string }>(async ({ user, params }) => {
  await requireJobAccess(user, params.jobId);
  return Response.json(await requestCancel(params.jobId));
}, PROJECTS_MANAGE);
