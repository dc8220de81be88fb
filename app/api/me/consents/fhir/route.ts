import { exportFhirConsents } from '@/lib/consent/export-fhir-consents';
import { fhirResponse } from '@/lib/http/fhir-response';
import { withAuth } from '@/lib/http/with-auth';

/** The patient's own consent decisions as a FHIR R4 Bundle of Consent resources. */
export const GET = withAuth(async ({ user }) => fhirResponse(await exportFhirConsents({ userId: user.id }), 'my-consents'), { roles: ['patient'] });
