import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/lib/config/env';

/** What is left in the blob store's temp area: nothing, after any ingest that ended. */
export async function blobTempFiles(): Promise<string[]> {
  return readdir(path.join(env.blobDir, 'tmp')).catch(() => []);
}
