import { z } from 'zod';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { ZDicomWebSource } from '@/lib/pacs/schemas';
import { resumeImport } from '@/lib/pacs/start-import';

/** Resumes a failed or interrupted import from its first study not done, with the source's credentials. */
export const POST = withAuth<{ jobId: string }>(
  async ({ req, params }) => {
    const { source } = z.object({ source: ZDicomWebSource }).parse(await readJson(req));
    const job = await resumeImport(params.jobId, source);
    return Response.json({ job: { id: job.id, status: job.status } }, { status: 202 });
  },
  { roles: ['admin'] },
);
