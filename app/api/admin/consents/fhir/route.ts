import { exportFhirConsents } from '@/lib/consent/export-fhir-consents';
import { importFhirConsents } from '@/lib/consent/import-fhir-consents';
import { readJson } from '@/lib/http/read-json';
import { fhirResponse } from '@/lib/http/fhir-response';
import { withAuth } from '@/lib/http/with-auth';

/** Every consent decision as a FHIR R4 Bundle of Consent resources, for the hospital's systems. */
export const GET = withAuth(async () => fhirResponse(await exportFhirConsents(), 'cohort-consents'), { roles: ['admin'] });

/** Imports FHIR R4 Consent resources (a Bundle, an array or one) from a hospital system, all or nothing. */
export const POST = withAuth(
  async ({ req, user }) => Response.json(await importFhirConsents({ actorId: user.id, body: await readJson(req, 16 * 1024 * 1024) }), { status: 201 }),
  { roles: ['admin'] },
);
