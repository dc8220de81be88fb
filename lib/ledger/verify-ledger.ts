import os from 'node:os';
import { env } from '@/lib/config/env';
import { withReadSnapshot, type Snapshot } from '@/lib/db/read-snapshot';
import { CheckpointError, openCheckpoint } from './checkpoint';
import { getLogKey } from './log-key';
import { MemoryTree, verifyConsistency } from './merkle';
import { NoteError, parseVerifierKey } from './signed-note';
import { completedLevels, type RangeOutcome, verifyEntryRange, whyNodesDiffer } from './verify-entries';
import { verifyRangesInParallel } from './verify-pool';
import { earliest, fail, VerifyFailed, type VerifyFailure, type VerifyProgress, type VerifyReport } from './verify-report';

export type { VerifyFailure, VerifyPhase, VerifyProgress, VerifyReport } from './verify-report';

export type VerifyOptions = {
  onProgress?: (p: VerifyProgress) => void;
  /** The log key to hold checkpoints to (default: this installation's). */
  verifierKey?: string;
  batchSize?: number;
  databaseUrl?: string;
  /** Worker threads besides this one (default: one per further CPU core); 0 verifies on this thread alone. */
  workers?: number;
  /** Whether this thread verifies ranges too (default), or only hands them out to the workers. */
  mainThread?: boolean;
  /** Entries per range handed to a thread, a power of two (default 65,536). */
  rangeSize?: number;
  /** Below this many entries, threads cost more than they save: all on this thread (default 131,072). */
  parallelFrom?: number;
};

/**
 * Re-derives everything from the entries alone and checks it against what is stored: each entry's
 * canonical form, leaf hash, fields and indexed columns, the gap-free sequence and hash chain, every
 * stored Merkle node, and every checkpoint's signature, root and consistency with the one before.
 * Large ledgers are split into ranges verified on several threads at once; either way the report
 * names the first problem in sequence order, as reading the entries one by one would.
 */
export async function verifyLedger({
  onProgress = () => {},
  verifierKey = getLogKey().verifierKey,
  batchSize = 1_000,
  databaseUrl = env.databaseUrl,
  workers = Math.max(0, os.availableParallelism() - 1),
  mainThread = true,
  rangeSize = 65_536,
  parallelFrom = 131_072,
}: VerifyOptions = {}): Promise<VerifyReport> {
  const alignLevel = Math.log2(rangeSize);
  if (!Number.isInteger(alignLevel) || alignLevel < 1) throw new RangeError(`rangeSize must be a power of two, not ${rangeSize}`);
  try {
    // One consistent snapshot: appends that commit during verification are simply not part of it.
    return await withReadSnapshot(databaseUrl, (snapshot) =>
      verifySnapshot(snapshot, { onProgress, verifierKey, batchSize, databaseUrl, workers, mainThread, alignLevel, parallelFrom }),
    );
  } catch (err) {
    if (err instanceof VerifyFailed) return { ok: false, failure: err.failure };
    throw err;
  }
}

async function verifySnapshot(
  db: Snapshot,
  options: Required<Pick<VerifyOptions, 'onProgress' | 'verifierKey' | 'batchSize' | 'databaseUrl' | 'workers' | 'mainThread' | 'parallelFrom'>> & {
    alignLevel: number;
  },
): Promise<VerifyReport> {
  const { onProgress, verifierKey, batchSize, workers, parallelFrom } = options;
  // 1. Entries [0, last seq]: each range of them checked on whichever thread is free, then joined.
  const last = (await db.values<[number | string | null]>('SELECT MAX(seq) FROM ledger_entry'))[0]![0];
  // Ranges end at the last entry in this snapshot: on SQLite, threads read snapshots of their own,
  // in which entries up to it are the same (the ledger's triggers refuse changes). Missing entries
  // on the way are found as gaps.
  const total = last === null ? 0 : Number(last) + 1;
  let done = 0;
  const onEntries = (entries: number) => onProgress({ phase: 'entries', done: (done += entries), total });
  let joined: Joined;
  if (workers === 0 || total < parallelFrom) {
    const { tree, failure, nodes, bytes } = await verifyEntryRange(db, { begin: 0, end: total }, { batchSize, onBatch: onEntries });
    joined = { tree, failure, nodes, bytes, threads: 1 };
  } else {
    const { outcomes, threads } = await verifyRangesInParallel(db, { ...options, total, onEntries });
    joined = { ...joinRanges(outcomes, options.alignLevel), threads };
  }
  if (joined.failure) return { ok: false, failure: joined.failure };
  const { tree, nodes, bytes, threads } = joined;

  // 2. Checkpoints, oldest first.
  const verifier = parseVerifierKey(verifierKey);
  const checkpoints = await db.query<{ tree_size: number; root_hash: Uint8Array; note: string }>(
    'SELECT tree_size, root_hash, note FROM ledger_checkpoint ORDER BY tree_size',
  );
  let previous: { size: number; root: Buffer } | null = null;
  for (const [i, row] of checkpoints.entries()) {
    const at = (reason: string) => fail('checkpoints', undefined, `checkpoint at size ${row.tree_size}: ${reason}`, row.tree_size);
    let parsed;
    try {
      parsed = openCheckpoint(row.note, verifier, verifier.name);
    } catch (err) {
      if (err instanceof NoteError || err instanceof CheckpointError) at(`not signed by the log's key, or malformed (${err.message})`);
      throw err;
    }
    if (parsed.size !== row.tree_size || !parsed.rootHash.equals(row.root_hash)) at('its stored size or root differ from what it signs');
    if (parsed.size > tree.size) at(`covers ${parsed.size} entries but the ledger has only ${tree.size}: entries were removed`);
    if (!parsed.rootHash.equals(tree.root(parsed.size))) at('its root does not match the entries: history was rewritten or forked');
    if (previous && !verifyConsistency({ size1: previous.size, size2: parsed.size, proof: tree.consistencyProof(previous.size, parsed.size), root1: previous.root, root2: parsed.rootHash })) {
      at(`not consistent with the checkpoint at size ${previous.size}`);
    }
    if (parsed.size > 0) previous = { size: parsed.size, root: parsed.rootHash };
    onProgress({ phase: 'checkpoints', done: i + 1, total: checkpoints.length });
  }
  return { ok: true, entries: tree.size, nodes, checkpoints: checkpoints.length, root: tree.root().toString('base64'), bytes, threads };
}

type Joined = { tree: MemoryTree; failure: VerifyFailure | null; nodes: number; bytes: number; threads: number };

/**
 * The ranges' trees as one, up to the first failure, and the stored nodes no single range could
 * check (those spanning ranges) checked against it: the earliest problem of all is the one named.
 */
function joinRanges(outcomes: RangeOutcome[], alignLevel: number): Omit<Joined, 'threads'> {
  const verified: RangeOutcome[] = [];
  for (const outcome of outcomes) {
    verified.push(outcome);
    if (outcome.failure) break;
  }
  const size = verified.reduce((n, o) => n + o.size, 0);
  const levels = Array.from({ length: alignLevel + 1 }, (_, level) => verified.map((o) => o.levels[level] ?? new Uint8Array(0)));
  const tree = MemoryTree.fromLevels(levels, size);
  let failure = verified.at(-1)?.failure ?? null;
  for (const { seq, fromLevel, hex } of verified.flatMap((o) => o.deferred)) {
    let expected = '';
    for (let level = fromLevel; level <= completedLevels(seq); level++) expected += tree.lookup({ level, index: Math.floor(seq / 2 ** level) }).toString('hex');
    if (hex !== expected) failure = earliest(failure, { phase: 'nodes', seq, reason: whyNodesDiffer(hex, expected, seq, fromLevel) });
  }
  return { tree, failure, nodes: verified.reduce((n, o) => n + o.nodes, 0), bytes: verified.reduce((n, o) => n + o.bytes, 0) };
}
