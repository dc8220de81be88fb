import { z } from 'zod';
import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { searchRemoteStudies } from '@/lib/pacs/dicomweb-client';
import { ZDicomWebSource, ZRemoteStudyQuery } from '@/lib/pacs/schemas';

const ZSearch = z.object({ source: ZDicomWebSource, query: ZRemoteStudyQuery.default({ limit: 100 }) });

/** Searches a PACS over QIDO-RS (the source's credentials come with each request; Cohort keeps none). */
export const POST = withAuth(
  async ({ req }) => {
    const { source, query } = ZSearch.parse(await readJson(req));
    return Response.json({ studies: await searchRemoteStudies(source, query) });
  },
  { roles: ['admin'] },
);
