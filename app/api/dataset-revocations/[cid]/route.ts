import { findVersionRevocations } from '@/lib/datasets/find-version-revocations';
import { withErrors } from '@/lib/http/with-auth';

export const dynamic = 'force-dynamic';

/**
 * Public, like the published version it is about: which of its studies' patients have since revoked
 * the use, with ledger proofs (`cohort pull` checks it; pseudonyms only, no session needed).
 */
export const GET = withErrors<{ cid: string }>(async ({ params }) =>
  Response.json(await findVersionRevocations(params.cid), { headers: { 'Cache-Control': 'no-store' } }),
);
