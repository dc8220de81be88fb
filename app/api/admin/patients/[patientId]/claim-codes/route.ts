import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { issueClaimCode } from '@/lib/patients/issue-claim-code';
import { ZIssueClaimCodeInput } from '@/lib/patients/schemas';

/** Issues the patient a claim code (any open one is revoked); the response carries the code, once. */
export const POST = withAuth<{ patientId: string }>(
  async ({ req, user, params }) => {
    const { validDays } = ZIssueClaimCodeInput.parse(await readJson(req));
    return Response.json(await issueClaimCode({ actorId: user.id, patientId: params.patientId, validDays }), { status: 201 });
  },
  { roles: ['admin'] },
);
