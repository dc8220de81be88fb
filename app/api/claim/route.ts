import { clientAddress } from '@/lib/http/client-address';
import { readJson } from '@/lib/http/read-json';
import { withErrors } from '@/lib/http/with-auth';
import { claimWithNewAccount } from '@/lib/patients/claim-patient';
import { ZClaimNewAccountInput } from '@/lib/patients/schemas';

/** A patient opens their account with the code from their letter (no session yet: they then sign in). */
export const POST = withErrors(async ({ req }) => {
  const input = ZClaimNewAccountInput.parse(await readJson(req));
  return Response.json(await claimWithNewAccount({ input, address: clientAddress(req) }), { status: 201 });
});
