import { withAuth } from '@/lib/http/with-auth';
import { PROJECTS_READ } from '@/lib/projects/project-roles';
import { getProjectStudySeries } from '@/lib/projects/study-series';

/** The study's series, and whether the project labels each (its series rule, or a manager's choice). */
export const GET = withAuth<{ projectId: string; studyId: string }>(
  async ({ user, params }) => Response.json(await getProjectStudySeries(user, params.projectId, params.studyId)),
  PROJECTS_READ,
);
