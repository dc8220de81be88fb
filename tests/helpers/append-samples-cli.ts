/** For e2e tests: appends N sample entries to the ledger of the data directory in the environment. */
import { closeDb } from '../../lib/db/client';
import { appendSamples } from './ledger';

await appendSamples(Number(process.argv[2] ?? 5));
await closeDb();
