import { z } from 'zod';
import { withAuth } from '@/lib/http/with-auth';
import { findPatients } from '@/lib/patients/find-patients';

/** Patients by name or Patient ID, with whether their studies are claimed and their newest code. */
export const GET = withAuth(
  async ({ req }) => {
    const { q } = z.object({ q: z.string().max(200).optional() }).parse(Object.fromEntries(new URL(req.url).searchParams));
    return Response.json({ patients: await findPatients({ q }) });
  },
  { roles: ['admin'] },
);
