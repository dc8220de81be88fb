import { readJson } from '@/lib/http/read-json';
import { withAuth } from '@/lib/http/with-auth';
import { claimPatient } from '@/lib/patients/claim-patient';
import { ZClaimInput } from '@/lib/patients/schemas';

/** A signed-in patient links another code's studies to their account. */
export const POST = withAuth(
  async ({ req, user }) => {
    const { code } = ZClaimInput.parse(await readJson(req));
    return Response.json(await claimPatient({ userId: user.id, code }), { status: 201 });
  },
  { roles: ['patient'] },
);
