import { withAuth } from '@/lib/http/with-auth';
import { getInclusionProof } from '@/lib/ledger/proofs';
import { ZInclusionQuery } from '@/lib/ledger/schemas';

export const GET = withAuth(async ({ req }) => {
  const { seq, size } = ZInclusionQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await getInclusionProof(seq, size));
});
