/**
 * Child process for the crash test: saves a label version (blobs, version row, ledger entry) and,
 * with everything written inside the transaction, says "inside" and hangs before committing until it
 * is killed, as a closed laptop or a crashed server would leave it.
 */
import { getDb } from '../../lib/db/client';
import { saveAnnotation } from '../../lib/annotations/save-annotation';
import { ZSaveAnnotationInput } from '../../lib/annotations/schemas';

const db = getDb();
const transaction = db.$transaction.bind(db) as (fn: (tx: unknown) => Promise<unknown>, options?: object) => Promise<unknown>;
// Every transaction this process runs does its work, then waits forever instead of committing.
(db as unknown as { $transaction: typeof transaction }).$transaction = (fn) =>
  transaction(
    async (tx) => {
      const result = await fn(tx);
      process.stdout.write('inside\n');
      await new Promise(() => {});
      return result;
    },
    { timeout: 600_000 },
  );
await saveAnnotation({
  user: { id: process.env.HANG_USER_ID!, roles: ['radiologist'] },
  annotationId: process.env.HANG_ANNOTATION_ID!,
  input: ZSaveAnnotationInput.parse(JSON.parse(process.env.HANG_INPUT!)),
}).catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exit(1);
});
