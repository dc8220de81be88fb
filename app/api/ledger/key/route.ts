import { withErrors } from '@/lib/http/with-auth';
import { getLogKey } from '@/lib/ledger/log-key';

/**
 * Public: the log's verifier key (C2SP vkey), which anyone checking a checkpoint needs. Also served at
 * /.well-known/cohort-ledger-key (next.config.js).
 */
export const GET = withErrors(async () =>
  new Response(getLogKey().verifierKey + '\n', { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=300' } }),
);
