import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Known-answer vectors for RFC 6962 trees and C2SP notes (tests/fixtures/ledger-test-vectors/README.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const LEDGER_VECTORS: any = JSON.parse(
  readFileSync(path.join(process.cwd(), 'tests', 'fixtures', 'ledger-test-vectors', 'vectors.json'), 'utf8'),
);
