import { withAuth } from '@/lib/http/with-auth';
import { requireJobAccess } from '@/lib/jobs/job-access';
import { getJob } from '@/lib/jobs/job-queue';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';

/** A job's status, progress (done of total, ETA) and result or error. */
export const GET = withAuth<{ jobId: string }>(async ({ user, params }) => {
  await requireJobAccess(user, params.jobId);
  return Response.json(await getJob(params.jobId));
}, PROJECTS_MANAGE);
