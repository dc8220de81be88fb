import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { findImportJobs } from '@/lib/pacs/find-import-jobs';
import { ZStartImport } from '@/lib/pacs/schemas';
import { startImport } from '@/lib/pacs/start-import';

/** The latest PACS imports and their progress. */
export const GET = withAuth(async () => Response.json({ jobs: await findImportJobs() }), { roles: ['admin'] });

/** Starts importing the chosen studies in the background (202: poll GET for progress). */
export const POST = withAuth(
  async ({ req, user }) => {
    const job = await startImport(ZStartImport.parse(await readJson(req)), user.id);
    return Response.json({ job: { id: job.id, status: job.status, studiesTotal: job.studiesTotal } }, { status: 202 });
  },
  { roles: ['admin'] },
);
