import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/lib/config/env';
import { getDb } from '@/lib/db/client';
import { log } from '@/lib/log/logger';
import { getBlobStore } from '@/lib/storage/get-blob-store';

const journalDir = () => path.join(env.dataDir, 'journal');
/** Notes of this process's transactions still in flight. */
const live = new Set<string>();
/** No ingest transaction lasts this long: an older note is stale whoever wrote it. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Blobs move into the store inside the ingest transaction, just before it commits; a crash between
 * the two would leave files no row points to. So the blobs are first written down here, and the note
 * is removed once the transaction has ended either way. Notes found at start-up are settled by
 * `recoverIngestJournal`: each listed blob that no instance references is deleted.
 */
export async function journalBlobCommit(sha256s: readonly string[]): Promise<{ settle(): Promise<void> }> {
  await fs.mkdir(journalDir(), { recursive: true });
  const file = path.join(journalDir(), `ingest-${randomUUID()}.json`);
  live.add(file);
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, blobs: sha256s }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return {
    settle: async () => {
      await fs.rm(file, { force: true });
      live.delete(file);
    },
  };
}

/**
 * Removes the blobs of ingests a crash interrupted (see journalBlobCommit). Returns how many. Notes of
 * transactions still running (here, or in another live process such as the CLI) are left alone.
 */
export async function recoverIngestJournal(): Promise<number> {
  let names: string[];
  try {
    names = (await fs.readdir(journalDir())).filter((n) => n.startsWith('ingest-'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(journalDir(), name);
    const note = await readNote(file);
    if (!note) {
      // Cut short before its sync, so before any blob moved: it lists nothing to undo.
      const stat = await fs.stat(file).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > 60_000) await fs.rm(file, { force: true });
      continue;
    }
    if (!(await isStale(file, note.pid))) continue;
    removed += await removeUnreferencedBlobs(note.blobs);
    await fs.rm(file, { force: true });
  }
  if (removed > 0) log.warn(`removed ${removed} blob(s) left by an interrupted ingest`);
  return removed;
}

/** Deletes those of `sha256s` no instance refers to (blobs of a batch that did not commit); returns how many. */
export async function removeUnreferencedBlobs(sha256s: readonly string[]): Promise<number> {
  const referenced = new Set(
    (await getDb().instance.findMany({ where: { sha256: { in: [...sha256s] } }, select: { sha256: true } })).map((i) => i.sha256),
  );
  let removed = 0;
  for (const sha256 of sha256s) if (!referenced.has(sha256) && (await getBlobStore().delete(sha256))) removed++;
  return removed;
}

type Note = { pid: number; blobs: string[] };

async function readNote(file: string): Promise<Note | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Note;
  } catch {
    return null; // removed meanwhile, or cut short by the crash before its sync: it listed nothing committed
  }
}

async function isStale(file: string, pid: number): Promise<boolean> {
  if (live.has(file)) return false;
  const { mtimeMs } = await fs.stat(file);
  if (Date.now() - mtimeMs > STALE_AFTER_MS || pid === process.pid) return true;
  return !(await isAlive(pid));
}

/** Whether a process runs: a zombie (killed, not yet reaped) does not. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/s.test(stat);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await fs.stat('/proc/self').then(() => true, () => false))) return false;
  }
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
