/**
 * Child process for the ingest crash test: stages DICOM files (HANG_FILES, separated by newlines) and
 * stores them as one batch, but hangs, saying "inside", right after the first blob has moved into the
 * store: the rows and ledger entries are written, the transaction not yet committed. Then it is killed.
 */
import { createReadStream } from 'node:fs';
import { stageInstance } from '../../lib/dicom/stage-instance';
import { storeInstances } from '../../lib/dicom/store-instances';

const staged = [];
for (const file of process.env.HANG_FILES!.split('\n')) staged.push(await stageInstance(createReadStream(file), { maxBytes: 64 * 1024 * 1024 }));
const first = staged[0]!.blob;
const commit = first.commit;
first.commit = async () => {
  const result = await commit();
  process.stdout.write('inside\n');
  await new Promise(() => {}); // never returns: the transaction never commits
  return result;
};
await storeInstances(staged, { actorUserId: process.env.HANG_USER_ID! }).catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exit(1);
});
