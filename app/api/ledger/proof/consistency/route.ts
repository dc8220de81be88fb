import { withAuth } from '@/lib/http/with-auth';
import { getConsistencyProof } from '@/lib/ledger/proofs';
import { ZConsistencyQuery } from '@/lib/ledger/schemas';

export const GET = withAuth(async ({ req }) => {
  const { from, to } = ZConsistencyQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await getConsistencyProof(from, to));
});
