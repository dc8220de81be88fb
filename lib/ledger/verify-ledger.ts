import { env } from '@/lib/config/env';
import { withReadSnapshot, type Snapshot } from '@/lib/db/read-snapshot';
import { canonicalize } from './canonical-json';
import { CheckpointError, openCheckpoint } from './checkpoint';
import { getLogKey } from './log-key';
import { leafHash, MemoryTree, verifyConsistency } from './merkle';
import { NoteError, parseVerifierKey } from './signed-note';

export type VerifyPhase = 'entries' | 'nodes' | 'checkpoints';
export type VerifyProgress = { phase: VerifyPhase; done: number; total: number };
export type VerifyFailure = { phase: VerifyPhase; seq?: number; treeSize?: number; reason: string };
export type VerifyReport =
  | { ok: true; entries: number; nodes: number; checkpoints: number; root: string; bytes: number }
  | { ok: false; failure: VerifyFailure };

class Failed extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.reason);
  }
}

/**
 * Re-derives everything from the entries alone and checks it against what is stored: each entry's
 * canonical form, leaf hash and fields, the gap-free sequence and hash chain, every stored Merkle
 * node, and every checkpoint's signature, root and consistency with the one before. Stops at the
 * first problem and names it. `verifierKey` pins the log key (default: this installation's).
 */
export async function verifyLedger({
  onProgress = () => {},
  verifierKey = getLogKey().verifierKey,
  batchSize = 10_000,
  databaseUrl = env.databaseUrl,
}: { onProgress?: (p: VerifyProgress) => void; verifierKey?: string; batchSize?: number; databaseUrl?: string } = {}): Promise<VerifyReport> {
  try {
    // One consistent snapshot: appends that commit during verification are simply not part of it.
    return await withReadSnapshot(databaseUrl, (snapshot) => verifySnapshot(snapshot, { onProgress, verifierKey, batchSize }));
  } catch (err) {
    if (err instanceof Failed) return { ok: false, failure: err.failure };
    throw err;
  }
}

async function verifySnapshot(
  db: Snapshot,
  { onProgress, verifierKey, batchSize }: { onProgress: (p: VerifyProgress) => void; verifierKey: string; batchSize: number },
): Promise<VerifyReport> {
  const tree = new MemoryTree();
  let bytes = 0;

  // 1. Entries, in sequence order.
  const [{ total }] = (await db.query<{ total: number | string }>('SELECT COUNT(*) AS total FROM ledger_entry')) as [{ total: number | string }];
  let prev: Buffer = Buffer.alloc(32);
  for (let from = 0; ; ) {
    const rows = await db.query<EntryRow>(
      `SELECT seq, type, actor, ${db.isoTime('recorded_at')} AS time, leaf_hash, prev_hash, canonical FROM ledger_entry WHERE seq >= ? ORDER BY seq LIMIT ?`,
      [from, batchSize],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = tree.size;
      if (row.seq !== seq) fail('entries', seq, `entry ${seq} is missing (the next one is ${row.seq})`);
      checkEntry(row, prev);
      const leaf = leafHash(Buffer.from(row.canonical, 'utf8'));
      if (!leaf.equals(row.leaf_hash)) fail('entries', seq, 'its content does not match its leaf hash: it was changed after it was recorded');
      tree.append(leaf);
      prev = leaf;
      bytes += row.canonical.length;
    }
    from = rows.at(-1)!.seq + 1;
    onProgress({ phase: 'entries', done: tree.size, total: Number(total) });
  }

  // 2. Stored Merkle nodes: each must be what the entries give, and none may be missing.
  const expectedNodes = countNodes(tree.size);
  let nodes = 0;
  // Every stored node, in (level, idx) order: one that lies beyond the entries is found too.
  for (let after = { level: 0, idx: -1 }; ; ) {
    const rows = await db.query<{ level: number; idx: number; hash: Uint8Array }>(
      'SELECT level, idx, hash FROM ledger_node WHERE level > ? OR (level = ? AND idx > ?) ORDER BY level, idx LIMIT ?',
      [after.level, after.level, after.idx, batchSize],
    );
    if (rows.length === 0) break;
    for (const { level, idx, hash } of rows) {
      const width = 2 ** level;
      if ((idx + 1) * width > tree.size) fail('nodes', undefined, `stored node ${level}/${idx} lies beyond the ledger's ${tree.size} entries`);
      if (!tree.lookup({ level, index: idx }).equals(hash)) fail('nodes', idx * width, `stored node ${level}/${idx} does not match the entries`);
      nodes++;
    }
    after = rows.at(-1)!;
    onProgress({ phase: 'nodes', done: nodes, total: expectedNodes });
  }
  if (nodes !== expectedNodes) fail('nodes', undefined, `${expectedNodes - nodes} stored Merkle node(s) are missing`);

  // 3. Checkpoints, oldest first.
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
  return { ok: true, entries: tree.size, nodes, checkpoints: checkpoints.length, root: tree.root().toString('base64'), bytes };
}

type EntryRow = { seq: number; type: string; actor: string; time: string; leaf_hash: Uint8Array; prev_hash: Uint8Array; canonical: string };

function checkEntry(row: EntryRow, prev: Buffer) {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(row.canonical) as Record<string, unknown>;
  } catch {
    return fail('entries', row.seq, 'its content is not JSON');
  }
  if (canonicalize(parsed) !== row.canonical) fail('entries', row.seq, 'its content is not in canonical (RFC 8785) form');
  if (parsed.v !== 1) fail('entries', row.seq, `unknown entry version ${String(parsed.v)}`);
  if (parsed.seq !== row.seq) fail('entries', row.seq, `its content says it is entry ${String(parsed.seq)}: entries were moved`);
  if (parsed.type !== row.type || parsed.actor !== row.actor || parsed.time !== row.time) {
    fail('entries', row.seq, 'its type, actor or time columns differ from its content');
  }
  if (parsed.prev !== prev.toString('hex') || !prev.equals(row.prev_hash)) {
    fail('entries', row.seq, 'it does not name the previous entry\'s hash: the chain is broken (an entry was inserted, removed or changed before it)');
  }
}

function fail(phase: VerifyPhase, seq: number | undefined, reason: string, treeSize?: number): never {
  throw new Failed({ phase, reason, ...(seq !== undefined ? { seq } : {}), ...(treeSize !== undefined ? { treeSize } : {}) });
}

/** Perfect subtrees in a tree of n leaves: Σ floor(n / 2^level). */
function countNodes(n: number): number {
  let total = 0;
  for (let width = 1; width <= n; width *= 2) total += Math.floor(n / width);
  return total;
}
