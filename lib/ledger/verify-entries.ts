import type { Snapshot } from '@/lib/db/read-snapshot';
import { isCanonicalText } from './canonical-json';
import { CanonicalScanner } from './canonical-scan';
import { HASH_SIZE, leafHexOfText, MemoryTree } from './merkle';
import { fail, VerifyFailed, type VerifyFailure } from './verify-report';

/** A range of entries [begin, end) to verify on its own, beginning at a multiple of a power of two. */
export type EntryRange = { begin: number; end: number };

export type EntryRangeResult = {
  begin: number;
  /** The Merkle tree over the entries verified, [begin, begin + tree.size): all of the range unless `failure`. */
  tree: MemoryTree;
  failure: VerifyFailure | null;
  /**
   * Stored Merkle nodes this range cannot check alone: those spanning entries before `begin`, above
   * its alignment level. Each is entry `seq`'s packed node hashes from level `fromLevel` up.
   */
  deferred: DeferredNodes[];
  nodes: number;
  bytes: number;
  /** How many entries were judged the slow, exact way (ordinary ones never are). */
  slow: number;
};

export type DeferredNodes = { seq: number; fromLevel: number; hex: string };

/** A verified range as it travels between threads: its tree as its lowest levels' hashes. */
export type RangeOutcome = Omit<EntryRangeResult, 'tree'> & { size: number; levels: Uint8Array[] };

/** A range's result with its tree as levels 0…alignLevel: those it shares with the whole ledger's tree. */
export function rangeOutcome({ tree, ...rest }: EntryRangeResult, alignLevel: number): RangeOutcome {
  const height = tree.size > 0 ? Math.floor(Math.log2(tree.size)) : 0;
  return { ...rest, size: tree.size, levels: Array.from({ length: Math.min(alignLevel, height) + 1 }, (_, level) => tree.levelHashes(level)) };
}

/**
 * Verifies entries [begin, end) from the entries alone: each entry's canonical form, content, leaf
 * hash, stored hash chain, indexed columns and the Merkle nodes its append completed. Needs nothing
 * from other ranges: the chain starts from entry begin − 1's recomputed leaf hash (that entry is
 * verified by the range before), and nodes reaching before `begin` are returned for the caller to
 * check once the ranges are joined. Stops at the first problem, as a sequential verifier would.
 */
export async function verifyEntryRange(
  db: Snapshot,
  { begin, end }: EntryRange,
  { batchSize = 1_000, onBatch = () => {} }: { batchSize?: number; onBatch?: (entries: number) => void } = {},
): Promise<EntryRangeResult> {
  const verifier = new RangeVerifier(db, { begin, end });
  try {
    if (begin > 0) await verifier.startAfter(begin - 1);
    while (verifier.next < end) {
      const rows = await db.column<unknown>(`SELECT ${entryRowText(db)} FROM ledger_entry WHERE seq >= ? ORDER BY seq LIMIT ?`, [
        verifier.next,
        Math.min(batchSize, end - verifier.next),
      ]);
      if (rows.length === 0) fail('entries', verifier.next, `entry ${verifier.next} is missing (no later entry exists)`);
      const before = verifier.next;
      for (const row of rows) {
        if (!verifier.fast(row)) await verifier.exact();
      }
      onBatch(verifier.next - before);
    }
  } catch (err) {
    if (!(err instanceof VerifyFailed)) throw err;
    return verifier.result(err.failure);
  }
  return verifier.result(null);
}

/**
 * One row per entry as one string (a million rows of several values each cost more to hand over
 * than to hash): canonical ⇥ seq ⇥ leaf ‖ prev ‖ nodes as HEX ⇥ recorded_at ⇥ type ⇥ actor.
 * Upper-case hex: SQLite's lower() would cost a fifth of the read.
 * Canonical JSON has no raw tab, so the scanner finds where it ends; what follows is compared
 * whole, and no column can hide a tab that would pass for a separator: the content's own type,
 * actor and time have none, and hex has none.
 */
function entryRowText(db: Snapshot): string {
  return `concat_ws('\t', canonical, seq, ${db.upperHex('leaf_hash || prev_hash || nodes')}, ${db.timeText('recorded_at')}, type, actor)`;
}

// The top-level members an entry's content must have, in canonicalScanner's numbering.
const MEMBERS = ['actor', 'prev', 'seq', 'time', 'type', 'v'] as const;
const [ACTOR, PREV, SEQ, TIME, TYPE, V] = MEMBERS.map((_, i) => i) as [number, number, number, number, number, number];
const HEX_HASH = 2 * HASH_SIZE;
const GENESIS_PREV_HEX = '00'.repeat(HASH_SIZE);
const CHAIN_BROKEN = "it does not name the previous entry's hash: the chain is broken (an entry was inserted, removed or changed before it)";
const COLUMNS_DIFFER = 'its type, actor or time columns differ from its content';

class RangeVerifier {
  /** The entry to verify next. */
  next: number;
  readonly #db: Snapshot;
  readonly #begin: number;
  /** The deepest level whose nodes lie wholly inside ranges starting at `begin`: 2^level divides it. */
  readonly #alignLevel: number;
  readonly #tree: MemoryTree;
  readonly #scanner = new CanonicalScanner(MEMBERS);
  readonly #deferred: DeferredNodes[] = [];
  #prevHex = GENESIS_PREV_HEX;
  #prevHexUpper = GENESIS_PREV_HEX;
  #nodes = 0;
  #bytes = 0;
  #slow = 0;

  constructor(db: Snapshot, { begin, end }: EntryRange) {
    this.#db = db;
    this.#begin = begin;
    this.#tree = new MemoryTree(end - begin);
    this.next = begin;
    this.#alignLevel = begin === 0 ? Infinity : trailingZeros(begin);
  }

  /** Picks up the chain after entry `seq`, which the range before verifies: its leaf hash, recomputed. */
  async startAfter(seq: number): Promise<void> {
    const [row] = await this.#db.values<[number | string, string]>('SELECT seq, canonical FROM ledger_entry WHERE seq >= ? ORDER BY seq LIMIT 1', [seq]);
    if (!row || Number(row[0]) !== seq) fail('entries', seq, `entry ${seq} is missing (the next one is ${row?.[0] ?? 'absent'})`);
    this.#prevHex = leafHexOfText(row[1]);
    this.#prevHexUpper = this.#prevHex.toUpperCase();
  }

  result(failure: VerifyFailure | null): EntryRangeResult {
    return { begin: this.#begin, tree: this.#tree, failure, deferred: this.#deferred, nodes: this.#nodes, bytes: this.#bytes, slow: this.#slow };
  }

  /**
   * Verifies the next entry from its row text when everything about it is ordinary; returns false,
   * having changed nothing, when anything is not (then `exact` judges it).
   */
  fast(row: unknown): boolean {
    if (typeof row !== 'string') return false;
    const scanner = this.#scanner;
    if (!scanner.scanObject(row)) return false;
    const seq = this.next;
    const levels = completedLevels(seq);
    // Nodes reaching before this range are checked later, on the joined tree: the exact path sets them aside.
    if (levels > this.#alignLevel) return false;
    const seqText = String(seq);
    if (!scanner.valueIs(V, '1') || !scanner.valueIs(SEQ, seqText) || !scanner.stringIs(PREV, this.#prevHex)) return false;
    const typeAt = scanner.stringStart(TYPE);
    const actorAt = scanner.stringStart(ACTOR);
    const timeAt = scanner.stringStart(TIME);
    // A time as the content writes it: to the millisecond, in UTC.
    if (typeAt < 0 || actorAt < 0 || timeAt < 0 || scanner.stringEnd(TIME) - timeAt !== 24 || row.charCodeAt(timeAt + 23) !== UPPER_Z) return false;
    const typeLength = scanner.stringEnd(TYPE) - typeAt;
    const actorLength = scanner.stringEnd(ACTOR) - actorAt;

    const canonical = row.slice(0, scanner.end);
    const leafHex = leafHexOfText(canonical);
    const leafHexUpper = leafHex.toUpperCase();
    const completedHex = this.#tree.appendHex(leafHex);
    // What is stored beside the content must read seq ⇥ leaf ‖ prev ‖ nodes ⇥ recorded_at ⇥ type ⇥
    // actor. Hashes are compared as slices with === (startsWith goes a character at a time), the
    // short columns against the content's own characters, in place.
    const at = canonical.length + 2 + seqText.length;
    const nodesEnd = at + 2 * HEX_HASH + completedHex.length;
    const utcSuffix = this.#db.utcSuffix;
    const typeColumn = nodesEnd + 1 + 23 + utcSuffix.length + 1;
    const actorColumn = typeColumn + typeLength + 1;
    if (
      row.length !== actorColumn + actorLength ||
      row.charCodeAt(canonical.length) !== TAB ||
      !row.startsWith(seqText, canonical.length + 1) ||
      row.charCodeAt(at - 1) !== TAB ||
      row.slice(at, at + HEX_HASH) !== leafHexUpper ||
      row.slice(at + HEX_HASH, at + 2 * HEX_HASH) !== this.#prevHexUpper ||
      row.slice(at + 2 * HEX_HASH, nodesEnd) !== (completedHex.length === 0 ? '' : completedHex.toUpperCase()) ||
      row.charCodeAt(nodesEnd) !== TAB ||
      !sameText(row, nodesEnd + 1, timeAt, 23) ||
      !row.startsWith(utcSuffix, nodesEnd + 24) ||
      row.charCodeAt(typeColumn - 1) !== TAB ||
      !sameText(row, typeColumn, typeAt, typeLength) ||
      row.charCodeAt(actorColumn - 1) !== TAB ||
      !sameText(row, actorColumn, actorAt, actorLength)
    ) {
      this.#tree.undoAppend();
      return false;
    }
    this.#accept(seq, levels, leafHex, leafHexUpper, canonical.length);
    return true;
  }

  /** Verifies the next entry the slow, exact way, naming the first thing wrong with it. */
  async exact(): Promise<void> {
    const seq = this.next;
    this.#slow++;
    const db = this.#db;
    const hashes = db.hex('leaf_hash || prev_hash || nodes');
    const [row] = await db.values<[number | string, unknown, string | null, string, string, string]>(
      `SELECT seq, canonical, ${hashes}, type, actor, ${db.isoTime('recorded_at')} FROM ledger_entry WHERE seq >= ? ORDER BY seq LIMIT 1`,
      [seq],
    );
    if (!row) fail('entries', seq, `entry ${seq} is missing (no later entry exists)`);
    const [rawSeq, canonical, storedHashes, type, actor, time] = row;
    if (Number(rawSeq) !== seq) fail('entries', seq, `entry ${seq} is missing (the next one is ${rawSeq})`);
    const content = checkContent(seq, canonical, this.#prevHex);
    if (typeof storedHashes !== 'string' || storedHashes.length < 2 * HEX_HASH) fail('entries', seq, 'its stored hashes are missing or truncated');
    if (storedHashes.slice(HEX_HASH, 2 * HEX_HASH) !== this.#prevHex) fail('entries', seq, CHAIN_BROKEN);
    const leafHex = leafHexOfText(canonical as string);
    if (storedHashes.slice(0, HEX_HASH) !== leafHex) fail('entries', seq, 'its content does not match its leaf hash: it was changed after it was recorded');
    if (type !== content.type || actor !== content.actor || time !== content.time) fail('entries', seq, COLUMNS_DIFFER);
    const levels = this.#append(seq, leafHex, storedHashes.slice(2 * HEX_HASH));
    this.#accept(seq, levels, leafHex, leafHex.toUpperCase(), (canonical as string).length);
  }

  /**
   * Adds the leaf to the tree and checks the nodes stored with the entry against those its append
   * completed; returns how many it completed.
   */
  #append(seq: number, leafHex: string, storedNodesHex: string): number {
    const completedHex = this.#tree.appendHex(leafHex);
    const levels = completedLevels(seq);
    // Levels up to alignLevel are the same nodes in this range's tree as in the whole ledger's.
    const own = Math.min(levels, this.#alignLevel);
    const expected = own === levels && completedHex.length === HEX_HASH * levels ? completedHex : completedHex.slice(0, HEX_HASH * own);
    if (storedNodesHex.length !== HEX_HASH * levels || !storedNodesHex.startsWith(expected)) {
      fail('nodes', seq, whyNodesDiffer(storedNodesHex, expected, seq));
    }
    if (own < levels) this.#deferred.push({ seq, fromLevel: own + 1, hex: storedNodesHex.slice(HEX_HASH * own) });
    return levels;
  }

  /** Entry `seq` holds, with the `levels` nodes its append completed: the chain goes on from its leaf. */
  #accept(seq: number, levels: number, leafHex: string, leafHexUpper: string, bytes: number): void {
    this.#nodes += 1 + levels;
    this.#prevHex = leafHex;
    this.#prevHexUpper = leafHexUpper;
    this.#bytes += bytes;
    this.next = seq + 1;
  }
}

const TAB = 0x09;
const UPPER_Z = 0x5a;

/** Whether text[a, a + length) and text[b, b + length) are the same characters (no copies made). */
function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

/** How many nodes above the leaf appending entry `seq` completes: its parent, grandparent… while the index is odd. */
export function completedLevels(seq: number): number {
  let levels = 0;
  // Arithmetic, not bit operators: those truncate to 32 bits.
  for (let i = seq; i % 2 === 1; i = (i - 1) / 2) levels++;
  return levels;
}

function trailingZeros(n: number): number {
  let zeros = 0;
  for (let i = n; i % 2 === 0; i /= 2) zeros++;
  return zeros;
}

/**
 * Why an entry's stored nodes (packed hex, levels 1…) are not the `expected` ones (its own levels,
 * possibly only the lower ones): the count differs, or the first level that does not match.
 */
export function whyNodesDiffer(storedHex: string, expectedHex: string, seq: number, fromLevel = 1): string {
  const levels = completedLevels(seq);
  if (storedHex.length !== HEX_HASH * (levels - fromLevel + 1)) {
    return `it stores ${storedHex.length / HEX_HASH} Merkle node hash(es) where its append completed ${levels}`;
  }
  let level = fromLevel;
  while (level < levels && storedHex.startsWith(expectedHex.slice(0, HEX_HASH * (level - fromLevel + 1)))) level++;
  return `the Merkle node ${level}/${Math.floor(seq / 2 ** level)} stored with it does not match the entries`;
}

type Content = { type: string; actor: string; time: string };

function checkContent(seq: number, canonical: unknown, prevHex: string): Content {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(canonical as string) as Record<string, unknown>;
  } catch {
    return fail('entries', seq, 'its content is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('entries', seq, 'its content is not a JSON object');
  if (!isCanonicalText(parsed, canonical as string)) fail('entries', seq, 'its content is not in canonical (RFC 8785) form');
  if (parsed.v !== 1) fail('entries', seq, `unknown entry version ${String(parsed.v)}`);
  if (parsed.seq !== seq) fail('entries', seq, `its content says it is entry ${String(parsed.seq)}: entries were moved`);
  if (typeof parsed.type !== 'string' || typeof parsed.actor !== 'string' || typeof parsed.time !== 'string') {
    fail('entries', seq, 'its content lacks a type, actor or time');
  }
  if (parsed.prev !== prevHex) fail('entries', seq, CHAIN_BROKEN);
  return parsed as Content;
}
