import crypto, { createHash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree over SHA-256, without I/O. The ledger stores leaf hashes and every
 * perfect (power-of-two, aligned) subtree hash, and never anything else: every root and proof
 * element is the hash of a range whose decomposition into perfect subtrees folds, right to left,
 * into its RFC hash. A proof is therefore computed in three steps: plan the ranges
 * (`inclusionProofRanges`, `consistencyProofRanges`), fetch the stored nodes they need in one batch
 * (`nodesForRanges`), then hash (`buildProof`). Sizes and indexes are JS numbers: exact up to 2^53.
 */

/** Bytes in a SHA-256 hash: every leaf, node and root hash has this length. */
export const HASH_SIZE = 32;

/** The perfect, aligned subtree covering leaves [index·2^level, (index+1)·2^level). Level 0 = leaf hashes. */
export type NodeRef = { level: number; index: number };

/** A half-open range of leaves [begin, end). */
export type Range = { begin: number; end: number };

/** Returns the stored hash of a perfect subtree; throws if the store does not have it. */
export type NodeLookup = (ref: NodeRef) => Uint8Array;

/** A node that became complete when a leaf was appended, for the store to keep. */
export type CompletedNode = { ref: NodeRef; hash: Buffer };

export type InclusionCheck = {
  leafHash: Uint8Array;
  index: number;
  size: number;
  proof: readonly Uint8Array[];
  root: Uint8Array;
};

export type ConsistencyCheck = {
  size1: number;
  size2: number;
  proof: readonly Uint8Array[];
  root1: Uint8Array;
  root2: Uint8Array;
};

// Domain separation (RFC 6962 §2.1): a leaf can never be passed off as an interior node.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256 of nothing: the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

// Hash inputs are assembled in one reused buffer and hashed one-shot: on entry-sized inputs this is
// twice as fast as createHash().update() with fresh buffers. Safe: hashing is synchronous. (One-shot
// crypto.hash needs Node ≥ 20.12; a proof-bundle consumer on an older Node gets the same result.)
const scratch = Buffer.allocUnsafe(64 * 1024);
const sha256: {
  (algorithm: 'sha256', data: Uint8Array, encoding: 'buffer'): Buffer;
  (algorithm: 'sha256', data: Uint8Array, encoding: 'hex'): string;
} = typeof crypto.hash === 'function'
  ? crypto.hash
  : ((algorithm: 'sha256', data: Uint8Array, encoding: 'buffer' | 'hex') => {
      const digest = createHash(algorithm).update(data).digest();
      return encoding === 'hex' ? digest.toString('hex') : digest;
    }) as never;
const PARENT_INPUT_SIZE = 1 + 2 * HASH_SIZE;

export function leafHash(data: Uint8Array): Buffer {
  const input = 1 + data.length <= scratch.length ? scratch.subarray(0, 1 + data.length) : Buffer.allocUnsafe(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256('sha256', input, 'buffer');
}

/** leafHash of a string's UTF-8 bytes, encoded straight into the hash input. */
export function leafHashOfText(text: string): Buffer {
  return sha256('sha256', leafInputOfText(text), 'buffer');
}

/** The same as lowercase hex: a hex string costs less to make than a 32-byte Buffer. */
export function leafHexOfText(text: string): string {
  return sha256('sha256', leafInputOfText(text), 'hex');
}

/** 0x00 ‖ UTF-8(text), in the scratch buffer when it fits. */
function leafInputOfText(text: string): Buffer {
  // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
  if (1 + 3 * text.length > scratch.length) {
    const input = Buffer.allocUnsafe(1 + 3 * text.length);
    input[0] = LEAF_PREFIX;
    return input.subarray(0, 1 + input.write(text, 1, 'utf8'));
  }
  scratch[0] = LEAF_PREFIX;
  return scratchView(1 + scratch.write(text, 1, 'utf8'));
}

// Views of the scratch buffer's first n bytes, made once per length: a million leaves of a few
// hundred distinct lengths would otherwise make a million views.
const scratchViews: Buffer[] = [];
function scratchView(length: number): Buffer {
  return (scratchViews[length] ??= scratch.subarray(0, length));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const size = 1 + left.length + right.length;
  const input = size <= scratch.length ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256('sha256', input, 'buffer');
}

export function nodeKey(ref: NodeRef): string {
  return `${ref.level}:${ref.index}`;
}

/** The maximal aligned perfect subtrees that exactly cover `range`, left to right (its "compact range"). */
export function perfectSubtrees(range: Range): NodeRef[] {
  assertRange(range);
  const refs: NodeRef[] = [];
  let at = range.begin;
  while (at < range.end) {
    let level = 0;
    let width = 1;
    // Grow while the doubled subtree still starts at `at` (alignment) and ends inside the range.
    while (at % (width * 2) === 0 && at + width * 2 <= range.end) {
      width *= 2;
      level += 1;
    }
    refs.push({ level, index: at / width });
    at += width;
  }
  return refs;
}

/**
 * True when MTH(D[begin:end)) can be computed from stored perfect subtrees: their sizes strictly
 * decrease, so each RFC split ("largest power of two smaller than n") falls on a subtree boundary.
 * Holds for every prefix [0, n) and every node of an RFC tree, i.e. every range a proof needs.
 */
export function isFoldableRange(range: Range): boolean {
  return levelsStrictlyDecrease(perfectSubtrees(range));
}

/** MTH(D[begin:end)) per RFC 6962 §2.1, from stored perfect subtrees. Throws for ranges it cannot hash. */
export function hashRange(range: Range, lookup: NodeLookup): Buffer {
  const refs = perfectSubtrees(range);
  const last = refs.at(-1);
  if (!last) return Buffer.from(EMPTY_ROOT);
  if (!levelsStrictlyDecrease(refs)) {
    throw new RangeError(`MTH of [${range.begin}, ${range.end}) does not split on perfect subtrees`);
  }
  let acc: Buffer = Buffer.from(storedHash(lookup, last));
  // Fold from the right: the leftmost subtree is the RFC's left half, the rest its right half.
  for (let i = refs.length - 2; i >= 0; i--) acc = nodeHash(storedHash(lookup, refs[i] as NodeRef), acc);
  return acc;
}

export function rootRange(size: number): Range {
  return { begin: 0, end: size };
}

export function root(size: number, lookup: NodeLookup): Buffer {
  return hashRange(rootRange(size), lookup); // size 0 → EMPTY_ROOT
}

/** The ranges whose hashes form PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), nearest the leaf first. */
export function inclusionProofRanges(index: number, size: number): Range[] {
  assertCount('size', size);
  assertCount('index', index);
  if (size === 0 || index >= size) throw new RangeError(`no leaf ${index} in a tree of size ${size}`);
  const fromRoot: Range[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const split = begin + largestPowerOfTwoBelow(end - begin);
    if (index < split) {
      fromRoot.push({ begin: split, end });
      end = split;
    } else {
      fromRoot.push({ begin, end: split });
      begin = split;
    }
  }
  return fromRoot.reverse();
}

/** The ranges whose hashes form PROOF(size1, D[0:size2]) (RFC 9162 §2.1.4.1), in proof order. */
export function consistencyProofRanges(size1: number, size2: number): Range[] {
  assertCount('size1', size1);
  assertCount('size2', size2);
  if (size1 === 0 || size1 > size2) throw new RangeError(`no consistency proof from size ${size1} to ${size2}`);
  // SUBPROOF unrolled: each step appends the sibling after the deeper result, so collect and reverse.
  const fromRoot: Range[] = [];
  let begin = 0;
  let end = size2;
  let oldRootKnown = true; // the RFC's `b`: the subtree is the whole old tree, whose root the verifier has
  while (size1 < end) {
    const split = begin + largestPowerOfTwoBelow(end - begin);
    if (size1 <= split) {
      fromRoot.push({ begin: split, end });
      end = split;
    } else {
      fromRoot.push({ begin, end: split });
      begin = split;
      oldRootKnown = false;
    }
  }
  if (!oldRootKnown) fromRoot.push({ begin, end });
  return fromRoot.reverse();
}

/** Every stored node needed to hash `ranges`, each once: what the caller fetches in one query. */
export function nodesForRanges(ranges: readonly Range[]): NodeRef[] {
  const needed = new Map<string, NodeRef>();
  for (const range of ranges) for (const ref of perfectSubtrees(range)) needed.set(nodeKey(ref), ref);
  return [...needed.values()];
}

export function buildProof(ranges: readonly Range[], lookup: NodeLookup): Buffer[] {
  return ranges.map((range) => hashRange(range, lookup));
}

/** A lookup over nodes fetched in one batch, keyed by `nodeKey`; a missing node is a planning bug. */
export function lookupFromMap(nodes: ReadonlyMap<string, Uint8Array>): NodeLookup {
  return (ref) => {
    const hash = nodes.get(nodeKey(ref));
    if (!hash) throw new RangeError(`node ${nodeKey(ref)} was not fetched`);
    return hash;
  };
}

/** RFC 9162 §2.1.3.2. Any malformed input is a failed verification, never an exception. */
export function verifyInclusion({ leafHash: hash, index, size, proof, root: expected }: InclusionCheck): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false;
  if (!isHash(hash) || !isHash(expected) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = hash;
  for (const p of proof) {
    if (sn === 0) return false; // more elements than the tree has levels on this path
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // Skip levels where this node is a right-edge node with no sibling.
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && sameBytes(r, expected);
}

/**
 * RFC 9162 §2.1.4.2, with the edge cases of transparency-dev/merkle (the reference the probes come
 * from): size1 = 0 fails (proves nothing); equal sizes need an empty proof and byte-equal roots.
 */
export function verifyConsistency({ size1, size2, proof, root1, root2 }: ConsistencyCheck): boolean {
  if (!isCount(size1) || !isCount(size2) || size1 === 0 || size1 > size2) return false;
  if (!Array.isArray(proof) || !proof.every(isHash)) return false;
  if (size1 === size2) return proof.length === 0 && isBytes(root1) && isBytes(root2) && sameBytes(root1, root2);
  if (!isHash(root1) || !isHash(root2) || proof.length === 0) return false;
  // A power-of-two old tree is a node of the new one; its root is the proof's implicit first element.
  const path: readonly Uint8Array[] = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && sameBytes(fr, root1) && sameBytes(sr, root2);
}

/** The frontier after appending a leaf, from the frontier before and the nodes that append completed. */
export function nextFrontier(frontierHashes: readonly Uint8Array[], completed: readonly CompletedNode[]): Uint8Array[] {
  // Nodes that just gained a parent leave the frontier; the topmost completed node joins it.
  return [...frontierHashes.slice(0, frontierHashes.length - (completed.length - 1)), (completed.at(-1) as CompletedNode).hash];
}

/** The leaf whose append completed node `ref`: its last leaf, (index+1)·2^level − 1. */
export function nodeOwner(ref: NodeRef): number {
  return (ref.index + 1) * 2 ** ref.level - 1;
}

/** The hashes `appendLeaf` completed above the leaf, level 1 upward, as one buffer: what an entry stores. */
export function packCompleted(completed: readonly CompletedNode[]): Buffer {
  return Buffer.concat(completed.slice(1).map((node) => node.hash));
}

/** The perfect subtrees of [0, size): the only nodes that appending the next leaf can build on. */
export function frontier(size: number): NodeRef[] {
  return perfectSubtrees(rootRange(size));
}

/**
 * Every node completed by appending leaf number `size`: the leaf itself, then each parent whose left
 * sibling is on the frontier. `frontierHashes` are the hashes of `frontier(size)`, in order. A store
 * that saves all of them holds every perfect subtree, so it can answer any root or proof later.
 */
export function appendLeaf(size: number, leaf: Uint8Array, frontierHashes: readonly Uint8Array[]): CompletedNode[] {
  assertCount('size', size);
  if (size >= Number.MAX_SAFE_INTEGER) throw new RangeError('the tree is full');
  if (!isHash(leaf)) throw new TypeError(`a leaf hash is ${HASH_SIZE} bytes`);
  // frontier(size) has one subtree per set bit of size; counting bits avoids building the refs.
  if (frontierHashes.length !== bitCount(size)) {
    throw new RangeError(`a tree of size ${size} has ${bitCount(size)} frontier nodes, got ${frontierHashes.length}`);
  }
  let node: CompletedNode = { ref: { level: 0, index: size }, hash: Buffer.from(leaf) };
  const completed = [node];
  // The frontier ends with the smallest subtree, which is the left sibling of a right child.
  for (let f = frontierHashes.length - 1; isOdd(node.ref.index); f--) {
    const sibling = frontierHashes[f] as Uint8Array;
    if (!isHash(sibling)) throw new TypeError(`frontier hash ${f} is not ${HASH_SIZE} bytes`);
    node = { ref: { level: node.ref.level + 1, index: half(node.ref.index) }, hash: nodeHash(sibling, node.hash) };
    completed.push(node);
  }
  return completed;
}

/**
 * An in-memory store of every perfect subtree, for verification, tests and benchmarks. Each level is
 * one growable buffer of 32-byte slots, so a million leaves cost a few allocations rather than
 * millions; and a right child's left sibling sits just before it, so a parent hashes one slice.
 */
export class MemoryTree {
  /** Per level, its nodes' hashes in order, then 65 bytes where parents are hashed from (see #parentInput). */
  #levels: Buffer[] = [];
  /** Per level, a view of those last 65 bytes. */
  #inputs: Buffer[] = [];
  #size = 0;

  /** `capacity`: the leaves it will hold, when known, so that its storage is allocated once. */
  constructor(capacity = 0) {
    for (let level = 0; Math.floor(capacity / 2 ** level) > 0; level++) this.#allocate(level, Math.floor(capacity / 2 ** level));
  }

  get size(): number {
    return this.#size;
  }

  /**
   * The tree of `size` leaves whose lowest levels are given, each as the hashes of all its complete
   * nodes in order (level 0: the leaves), concatenated from one or more chunks; the levels above are
   * hashed here. Joins trees built in parallel over ranges beginning at multiples of
   * 2^(levels.length − 1): their levels are simply laid end to end.
   */
  static fromLevels(levels: readonly (readonly Uint8Array[])[], size: number): MemoryTree {
    assertCount('size', size);
    if (size > 0 && levels.length === 0) throw new RangeError('a tree of leaves needs at least its leaf level');
    const tree = new MemoryTree();
    tree.#size = size;
    levels.forEach((chunks, level) => {
      const count = Math.floor(size / 2 ** level);
      const bytes = chunks.reduce((n, chunk) => n + chunk.length, 0);
      if (bytes !== count * HASH_SIZE) throw new RangeError(`level ${level} of a tree of ${size} has ${count} nodes, not ${bytes / HASH_SIZE}`);
      if (count === 0) return;
      const stored = tree.#slot(level, count - 1);
      let at = 0;
      for (const chunk of chunks) {
        stored.set(chunk, at);
        at += chunk.length;
      }
    });
    for (let level = Math.max(levels.length - 1, 0); Math.floor(size / 2 ** (level + 1)) > 0; level++) {
      const count = Math.floor(size / 2 ** (level + 1));
      for (let i = 0; i < count; i++) {
        tree.#slot(level + 1, i).set(sha256('sha256', tree.#parentInput(level, 2 * i + 1), 'buffer'), i * HASH_SIZE);
      }
    }
    return tree;
  }

  /** Level `level`'s complete nodes' hashes, concatenated, as a copy of its own (e.g. to send to another thread). */
  levelHashes(level: number): Uint8Array {
    const count = Math.floor(this.#size / 2 ** level);
    const stored = this.#levels[level];
    const copy = new Uint8Array(count * HASH_SIZE);
    if (stored && count > 0) copy.set(stored.subarray(0, count * HASH_SIZE));
    return copy;
  }

  /** Appends a leaf; returns the nodes it completed (see appendLeaf). */
  append(leaf: Uint8Array): CompletedNode[] {
    if (!isHash(leaf)) throw new TypeError(`a leaf hash is ${HASH_SIZE} bytes`);
    const index = this.#size;
    this.#slot(0, index).set(leaf, index * HASH_SIZE);
    const completed: CompletedNode[] = [{ ref: { level: 0, index }, hash: Buffer.from(leaf) }];
    for (let level = 0, i = index; isOdd(i); level++, i = half(i)) {
      const hash = sha256('sha256', this.#parentInput(level, i), 'buffer');
      this.#slot(level + 1, half(i)).set(hash, half(i) * HASH_SIZE);
      completed.push({ ref: { level: level + 1, index: half(i) }, hash });
    }
    this.#size += 1;
    return completed;
  }

  /**
   * The same for a leaf given as hex, returning the completed nodes above it packed as hex (what
   * packCompleted gives): verification's hot path, which allocates no buffer per leaf.
   */
  appendHex(leafHex: string): string {
    const index = this.#size;
    if (leafHex.length !== 2 * HASH_SIZE || this.#slot(0, index).write(leafHex, index * HASH_SIZE, 'hex') !== HASH_SIZE) {
      throw new TypeError(`a leaf hash is ${HASH_SIZE} bytes of hex`);
    }
    let packed = '';
    for (let level = 0, i = index; isOdd(i); level++, i = half(i)) {
      const hex = sha256('sha256', this.#parentInput(level, i), 'hex');
      this.#slot(level + 1, half(i)).write(hex, half(i) * HASH_SIZE, 'hex');
      packed += hex;
    }
    this.#size += 1;
    return packed;
  }

  /** Takes the last leaf back off (its hashes stay in place, unreachable, until overwritten). */
  undoAppend(): void {
    if (this.#size === 0) throw new RangeError('the tree is empty');
    this.#size -= 1;
  }

  /** A copy, so callers cannot alter the store. Arrow property: it is passed around as a NodeLookup. */
  lookup = (ref: NodeRef): Buffer => {
    const { level, index } = ref;
    const stored = this.#levels[level];
    if (!isCount(level) || !isCount(index) || !stored || (index + 1) * 2 ** level > this.#size) {
      throw new RangeError(`node ${nodeKey(ref)} is not in a tree of size ${this.#size}`);
    }
    return Buffer.from(stored.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE));
  };

  root(size: number = this.#size): Buffer {
    this.#assertSize(size);
    return root(size, this.lookup);
  }

  inclusionProof(index: number, size: number = this.#size): Buffer[] {
    this.#assertSize(size);
    return this.#prove(inclusionProofRanges(index, size));
  }

  consistencyProof(size1: number, size2: number = this.#size): Buffer[] {
    this.#assertSize(size2);
    return this.#prove(consistencyProofRanges(size1, size2));
  }

  // The same plan → batch fetch → hash path the database store takes.
  #prove(ranges: Range[]): Buffer[] {
    const nodes = new Map(nodesForRanges(ranges).map((ref) => [nodeKey(ref), this.lookup(ref)] as const));
    return buildProof(ranges, lookupFromMap(nodes));
  }

  /**
   * 0x01 ‖ left ‖ right for the parent of right child `index` at `level`. The two children are
   * adjacent: copyWithin moves them beside the prefix at the end of the same buffer (far cheaper
   * than copying between buffers, a million times over).
   */
  #parentInput(level: number, index: number): Buffer {
    const stored = this.#levels[level] as Buffer;
    stored.copyWithin(stored.length - 2 * HASH_SIZE, (index - 1) * HASH_SIZE, (index + 1) * HASH_SIZE);
    return this.#inputs[level] as Buffer;
  }

  /** The level's buffer, grown (doubling) to hold slot `index`. */
  #slot(level: number, index: number): Buffer {
    const stored = this.#levels[level];
    const capacity = stored ? (stored.length - PARENT_INPUT_SIZE) / HASH_SIZE : 0;
    if (index < capacity) return stored as Buffer;
    const grown = this.#allocate(level, Math.max(index + 1, 2 * capacity, 64));
    stored?.copy(grown, 0, 0, capacity * HASH_SIZE);
    return grown;
  }

  #allocate(level: number, capacity: number): Buffer {
    const stored = Buffer.allocUnsafe(capacity * HASH_SIZE + PARENT_INPUT_SIZE);
    stored[capacity * HASH_SIZE] = NODE_PREFIX;
    this.#levels[level] = stored;
    this.#inputs[level] = stored.subarray(capacity * HASH_SIZE);
    return stored;
  }

  #assertSize(size: number): void {
    assertCount('size', size);
    if (size > this.#size) throw new RangeError(`size ${size} is beyond the tree's ${this.#size} leaves`);
  }
}

function levelsStrictlyDecrease(refs: readonly NodeRef[]): boolean {
  return refs.every((ref, i) => i === 0 || ref.level < (refs[i - 1] as NodeRef).level);
}

function storedHash(lookup: NodeLookup, ref: NodeRef): Uint8Array {
  const hash = lookup(ref);
  // A short or long stored value would silently yield a valid-looking but wrong root.
  if (!isHash(hash)) throw new TypeError(`stored node ${nodeKey(ref)} is not ${HASH_SIZE} bytes`);
  return hash;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Arithmetic rather than bit operators: those truncate to 32 bits, and sizes go up to 2^53.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = half(rest)) bits += rest % 2;
  return bits;
}

function isCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function assertCount(name: string, n: number): void {
  if (!isCount(n)) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

function assertRange(range: Range): void {
  assertCount('begin', range.begin);
  assertCount('end', range.end);
  if (range.begin > range.end) throw new RangeError(`range [${range.begin}, ${range.end}) is reversed`);
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isHash(value: unknown): value is Uint8Array {
  return isBytes(value) && value.length === HASH_SIZE;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
