import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';
import { signCheckpoint } from './checkpoint';
import { toCheckpointView, type CheckpointView } from './checkpoint-view';
import { ledgerRoot } from './ledger-root';
import { getLogKey } from './log-key';
import { ledgerSize } from './node-store';

/**
 * Signs the current tree head: a C2SP tlog-checkpoint (origin, size, root, and a timestamp extension
 * line) in a C2SP signed note with the log's Ed25519 key, so it can be witnessed by standard tools.
 * Idempotent per tree size: when nothing was appended since, the existing checkpoint is returned.
 */
export async function createCheckpoint(): Promise<CheckpointView> {
  const db = getDb();
  const size = await ledgerSize(db);
  const existing = await db.ledgerCheckpoint.findUnique({ where: { treeSize: size } });
  if (existing) return toCheckpointView(existing);
  // What is signed must be on disk: with SQLite's synchronous=NORMAL the last commits may still be only
  // in the OS cache, and a power cut must never leave a signed checkpoint covering lost entries.
  if (env.databaseProvider === 'sqlite') await db.$queryRawUnsafe('PRAGMA wal_checkpoint(PASSIVE)');
  const rootHash = await ledgerRoot(db, size);
  const createdAt = new Date();
  const { origin, signer } = getLogKey();
  const note = signCheckpoint({ origin, size, rootHash, extensions: [`Timestamp: ${createdAt.toISOString()}`] }, signer);
  try {
    const row = await db.ledgerCheckpoint.create({
      data: { treeSize: size, rootHash: new Uint8Array(rootHash), createdAt, note },
    });
    return toCheckpointView(row);
  } catch (err) {
    // Another process signed this size at the same moment: theirs stands.
    if (!isUniqueViolation(err)) throw err;
    return toCheckpointView(await db.ledgerCheckpoint.findUniqueOrThrow({ where: { treeSize: size } }));
  }
}

/** The newest checkpoint, or null before the first one. */
export async function getLatestCheckpoint(): Promise<CheckpointView | null> {
  const row = await getDb().ledgerCheckpoint.findFirst({ orderBy: { treeSize: 'desc' } });
  return row ? toCheckpointView(row) : null;
}
