import { z } from 'zod';
import { withAuth } from '@/lib/http/with-auth';
import { getEntryProofBundle } from '@/lib/ledger/get-entry-proof-bundle';

/** The entry with its inclusion proof, a signed checkpoint and the log key: verifiable offline. */
export const GET = withAuth<{ seq: string }>(async ({ params }) => {
  const seq = z.coerce.number().int().min(0).parse(params.seq);
  const bundle = await getEntryProofBundle(seq);
  return new Response(JSON.stringify(bundle, null, 2) + '\n', {
    headers: {
      'Content-Type': 'application/json',
      'Content-Disposition': `attachment; filename="cohort-ledger-entry-${seq}.proof.json"`,
    },
  });
});
