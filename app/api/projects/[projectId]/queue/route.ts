import { withAuth } from '@/lib/http/with-auth';
import { readerQueue } from '@/lib/projects/next-study';

/** The reader's next study and progress. */
export const GET = withAuth<{ projectId: string }>(async ({ user, params }) => Response.json(await readerQueue(user, params.projectId)), { roles: ['radiologist'] });
