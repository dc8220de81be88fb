/**
 * Child process for the crash test: records a fact and its ledger entry in one transaction, says
 * "inside", and hangs before committing until it is killed.
 */
import { getDb } from '../../lib/db/client';
import { appendEntry } from '../../lib/ledger/append-entry';
import { sampleEntry } from './ledger';

const db = getDb();
await db
  .$transaction(
    async (tx) => {
      await tx.notification.create({ data: { userId: process.env.HANG_USER_ID!, kind: 'account', title: 'killed mid-append', body: '' } });
      await appendEntry(tx, sampleEntry(9999));
      process.stdout.write('inside\n');
      await new Promise(() => {}); // never commits
    },
    { timeout: 600_000 },
  )
  .catch((err: unknown) => {
    process.stderr.write(String(err));
    process.exit(1);
  });
