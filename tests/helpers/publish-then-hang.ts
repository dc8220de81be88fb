/**
 * Child process for the publication crash tests: publishes version HANG_VERSION_ID and, at HANG_AT
 * (`export`: a third of the way through de-identifying; `ledger`: inside the transaction that records
 * it, everything written but not committed), says "inside" and hangs until it is killed.
 */
import { getDb } from '../../lib/db/client';
import { publishVersion } from '../../lib/datasets/publish/run-publish-job';

const hangAt = process.env.HANG_AT;
const hang = async () => {
  process.stdout.write('inside\n');
  await new Promise(() => {});
};
if (hangAt === 'ledger') {
  const db = getDb();
  const transaction = db.$transaction.bind(db) as (fn: (tx: unknown) => Promise<unknown>, options?: object) => Promise<unknown>;
  (db as unknown as { $transaction: typeof transaction }).$transaction = (fn) =>
    transaction(
      async (tx) => {
        const result = await fn(tx);
        await hang();
        return result;
      },
      { timeout: 600_000 },
    );
}
await publishVersion(process.env.HANG_VERSION_ID!, async (fraction) => {
  if (hangAt === 'export' && fraction > 0.3 && fraction < 0.65) await hang();
}).catch((err: unknown) => {
  process.stderr.write(String((err as Error).stack ?? err));
  process.exit(1);
});
