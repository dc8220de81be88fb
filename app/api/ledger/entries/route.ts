import { withAuth } from '@/lib/http/with-auth';
import { findLedgerEntries } from '@/lib/ledger/find-ledger-entries';
import { ZEntriesQuery } from '@/lib/ledger/schemas';

export const GET = withAuth(async ({ req }) => {
  const query = ZEntriesQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await findLedgerEntries(query));
});
