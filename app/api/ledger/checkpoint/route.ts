import { withAuth } from '@/lib/http/with-auth';
import { createCheckpoint, getLatestCheckpoint } from '@/lib/ledger/create-checkpoint';
import { getLogKey } from '@/lib/ledger/log-key';

/** The newest signed tree head (null before the first), with the key that verifies it. */
export const GET = withAuth(async () =>
  Response.json({ checkpoint: await getLatestCheckpoint(), verifierKey: getLogKey().verifierKey }),
);

/** Signs a checkpoint of the ledger as it is now (returns the existing one if nothing was added). */
export const POST = withAuth(
  async () => Response.json({ checkpoint: await createCheckpoint(), verifierKey: getLogKey().verifierKey }, { status: 201 }),
  { roles: ['admin'] },
);
