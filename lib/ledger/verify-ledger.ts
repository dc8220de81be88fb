import { env } from '@/lib/config/env';
import { withReadSnapshot, type Snapshot } from '@/lib/db/read-snapshot';
import { isCanonicalText } from './canonical-json';
import { CheckpointError, openCheckpoint } from './checkpoint';
import { getLogKey } from './log-key';
import { HASH_SIZE, leafHexOfText, MemoryTree, verifyConsistency } from './merkle';
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

  // 1. Entries, in sequence order: content, canonical form, hash chain, leaf hashes, and the Merkle
  // nodes stored with each entry, which must be those its append completed.
  const [{ total }] = (await db.query<{ total: number | string }>('SELECT COUNT(*) AS total FROM ledger_entry')) as [{ total: number | string }];
  // Hashes travel as hex text, the three of them in one column: reading a million rows, one buffer
  // per value (or even one string per column) would cost more than hashing.
  let prevHex = GENESIS_PREV_HEX;
  let nodes = 0;
  const hashes = `${db.hex('leaf_hash')} || ${db.hex('prev_hash')} || ${db.hex('nodes')}`;
  const select = `SELECT seq, canonical, ${hashes} FROM ledger_entry WHERE seq >= ? ORDER BY seq LIMIT ?`;
  for (let from = 0; ; ) {
    const rows = await db.values<EntryRow>(select, [from, batchSize]);
    if (rows.length === 0) break;
    for (const [rawSeq, canonical, storedHashes] of rows) {
      const seq = tree.size;
      if (Number(rawSeq) !== seq) fail('entries', seq, `entry ${seq} is missing (the next one is ${rawSeq})`);
      checkContent(seq, canonical, prevHex);
      if (typeof storedHashes !== 'string' || storedHashes.length < 2 * HEX_HASH) fail('entries', seq, 'its stored hashes are missing or truncated');
      if (storedHashes.slice(HEX_HASH, 2 * HEX_HASH) !== prevHex) fail('entries', seq, CHAIN_BROKEN);
      const leafHex = leafHexOfText(canonical);
      if (storedHashes.slice(0, HEX_HASH) !== leafHex) fail('entries', seq, 'its content does not match its leaf hash: it was changed after it was recorded');
      const completedHex = tree.appendHex(leafHex);
      if (storedHashes.length !== 2 * HEX_HASH + completedHex.length || !storedHashes.endsWith(completedHex)) {
        fail('nodes', seq, whyNodesDiffer(Buffer.from(storedHashes.slice(2 * HEX_HASH), 'hex'), Buffer.from(completedHex, 'hex'), seq));
      }
      nodes += 1 + completedHex.length / HEX_HASH;
      prevHex = leafHex;
      bytes += canonical.length;
    }
    from = tree.size;
    onProgress({ phase: 'entries', done: tree.size, total: Number(total) });
  }
  // 2. The indexed columns (what the ledger page filters on) must say what the content says. In SQL,
  // as one scan: every entry's content is known to be JSON by now.
  const [mismatch] = await db.values<[number | string]>(
    `SELECT seq FROM ledger_entry WHERE type <> ${db.jsonText('canonical', 'type')} OR actor <> ${db.jsonText('canonical', 'actor')}
       OR ${db.isoTime('recorded_at')} <> ${db.jsonText('canonical', 'time')} ORDER BY seq LIMIT 1`,
  );
  if (mismatch) fail('entries', Number(mismatch[0]), 'its type, actor or time columns differ from its content');

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

/** leaf_hash ‖ prev_hash ‖ nodes as lowercase hex (see Snapshot.hex); null if a column is. */
type EntryRow = [seq: number | string, canonical: string, hashes: string | null];

const HEX_HASH = 2 * HASH_SIZE;
const GENESIS_PREV_HEX = '00'.repeat(HASH_SIZE);

/**
 * Why entry `seq`'s stored `nodes` are not the hashes its append completed above the leaf (see
 * packCompleted): those are its parent, grandparent… up the levels while the index is odd.
 */
function whyNodesDiffer(stored: Buffer, expected: Buffer, seq: number): string {
  if (stored.length !== expected.length) {
    return `it stores ${stored.length / HASH_SIZE} Merkle node hash(es) where its append completed ${expected.length / HASH_SIZE}`;
  }
  let level = 1;
  while (stored.subarray((level - 1) * HASH_SIZE, level * HASH_SIZE).equals(expected.subarray((level - 1) * HASH_SIZE, level * HASH_SIZE))) level++;
  return `the Merkle node ${level}/${Math.floor(seq / 2 ** level)} stored with it does not match the entries`;
}

const CHAIN_BROKEN = "it does not name the previous entry's hash: the chain is broken (an entry was inserted, removed or changed before it)";

function checkContent(seq: number, canonical: string, prevHex: string) {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(canonical) as Record<string, unknown>;
  } catch {
    return fail('entries', seq, 'its content is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('entries', seq, 'its content is not a JSON object');
  if (!isCanonicalText(parsed, canonical)) fail('entries', seq, 'its content is not in canonical (RFC 8785) form');
  if (parsed.v !== 1) fail('entries', seq, `unknown entry version ${String(parsed.v)}`);
  if (parsed.seq !== seq) fail('entries', seq, `its content says it is entry ${String(parsed.seq)}: entries were moved`);
  if (typeof parsed.type !== 'string' || typeof parsed.actor !== 'string' || typeof parsed.time !== 'string') {
    fail('entries', seq, 'its content lacks a type, actor or time');
  }
  if (parsed.prev !== prevHex) fail('entries', seq, CHAIN_BROKEN);
}

function fail(phase: VerifyPhase, seq: number | undefined, reason: string, treeSize?: number): never {
  throw new Failed({ phase, reason, ...(seq !== undefined ? { seq } : {}), ...(treeSize !== undefined ? { treeSize } : {}) });
}
