import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  appendLeaf,
  buildProof,
  consistencyProofRanges,
  EMPTY_ROOT,
  frontier,
  hashRange,
  inclusionProofRanges,
  isFoldableRange,
  leafHash,
  lookupFromMap,
  MemoryTree,
  nodeHash,
  nodeKey,
  nodesForRanges,
  packCompleted,
  perfectSubtrees,
  root,
  verifyConsistency,
  verifyInclusion,
  type NodeRef,
} from '@/lib/ledger/merkle';
import { LEDGER_VECTORS } from '../helpers/ledger-vectors';

type InclusionProbe = { file: string; leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[]; wantErr: boolean };
type ConsistencyProbe = { file: string; size1: number; size2: number; root1: string; root2: string; proof: string[]; wantErr: boolean };
type Vectors = {
  ct_reference_tree: {
    empty_root: string;
    inputs: string[];
    roots_by_size: Record<string, string>;
    node_hashes_by_level: string[][];
    inclusion_paths: { leaf_index: number; tree_size: number; path: string[] }[];
    consistency_proofs: { size1: number; size2: number; proof: string[] }[];
  };
  tdev_probes: { inclusion: InclusionProbe[]; consistency: ConsistencyProbe[] };
};

const vectors = LEDGER_VECTORS as Vectors;
const ct = vectors.ct_reference_tree;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (s: string) => Buffer.from(s, 'base64');

// Independent of the module under test: RFC 6962 §2.1 read literally, over an array of leaf hashes.
const sha256 = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const naiveLeafHash = (data: Uint8Array) => sha256(Buffer.from([0]), data);
const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

class NaiveTree {
  // Memoized on absolute positions only so thousands of checks stay fast; the recursion is the RFC's.
  readonly #memo = new Map<string, Buffer>();
  constructor(readonly leaves: readonly Buffer[]) {}

  /** MTH(D[begin:end)) */
  mth(begin: number, end: number): Buffer {
    const key = `${begin}:${end}`;
    let hash = this.#memo.get(key);
    if (!hash) {
      const n = end - begin;
      if (n === 0) hash = sha256();
      else if (n === 1) hash = this.leaves[begin] as Buffer;
      else {
        const k = largestPowerOfTwoBelow(n);
        hash = sha256(Buffer.from([1]), this.mth(begin, begin + k), this.mth(begin + k, end));
      }
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[begin:end)), m relative to begin */
  path(m: number, begin: number, end: number): Buffer[] {
    const n = end - begin;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, begin, begin + k), this.mth(begin + k, end)];
    return [...this.path(m - k, begin + k, end), this.mth(begin, begin + k)];
  }

  /** PROOF(m, D[0:n)) */
  proof(m: number, n: number): Buffer[] {
    return this.subproof(m, 0, n, true);
  }

  subproof(m: number, begin: number, end: number, b: boolean): Buffer[] {
    const n = end - begin;
    if (m === n) return b ? [] : [this.mth(begin, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, begin, begin + k, b), this.mth(begin + k, end)];
    return [...this.subproof(m - k, begin + k, end, false), this.mth(begin, begin + k)];
  }
}

// Deterministic PRNG so a failing random pair reproduces.
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const flipBit = (b: Uint8Array, bit: number) => {
  const copy = Buffer.from(b);
  copy[(bit >> 3) % copy.length]! ^= 1 << (bit & 7);
  return copy;
};
const withFlip = (proof: Buffer[], i: number, bit: number) => proof.map((p, j) => (j === i ? flipBit(p, bit) : p));

const LEAVES = Array.from({ length: 4096 }, (_, i) => naiveLeafHash(Buffer.from(`leaf ${i}`)));
const naive = new NaiveTree(LEAVES);
const tree = new MemoryTree();
for (const leaf of LEAVES) tree.append(leaf);

function expectInclusionChecks(m: number, n: number) {
  const proof = tree.inclusionProof(m, n);
  expect(proof.map(hex), `PATH(${m}, ${n})`).toEqual(naive.path(m, 0, n).map(hex));
  const rootN = naive.mth(0, n);
  const check = { leafHash: LEAVES[m] as Buffer, index: m, size: n, proof, root: rootN };
  expect(verifyInclusion(check), `inclusion ${m}/${n}`).toBe(true);
  proof.forEach((_, i) => expect(verifyInclusion({ ...check, proof: withFlip(proof, i, m * 31 + n + i * 7) })).toBe(false));
  expect(verifyInclusion({ ...check, leafHash: flipBit(check.leafHash, m + n) })).toBe(false);
  expect(verifyInclusion({ ...check, root: flipBit(rootN, m * n) })).toBe(false);
  for (const wrong of new Set([m - 1, m + 1, m ^ 1, m ^ 2, m ^ 8, n - 1 - m, n])) {
    if (wrong !== m && wrong >= 0) expect(verifyInclusion({ ...check, index: wrong }), `index ${wrong} for ${m}/${n}`).toBe(false);
  }
  for (const wrong of new Set([n - 1, n + 1, 2 * n, n + 2, n * 2 - 1])) {
    if (wrong !== n && wrong > 0 && wrong <= LEAVES.length) {
      const wrongRoot = naive.mth(0, wrong);
      expect(verifyInclusion({ ...check, size: wrong, root: wrongRoot }), `size ${wrong} for ${m}/${n}`).toBe(false);
    }
  }
}

function expectConsistencyChecks(m: number, n: number) {
  const proof = tree.consistencyProof(m, n);
  expect(proof.map(hex), `PROOF(${m}, ${n})`).toEqual(naive.proof(m, n).map(hex));
  const check = { size1: m, size2: n, proof, root1: naive.mth(0, m), root2: naive.mth(0, n) };
  expect(verifyConsistency(check), `consistency ${m}→${n}`).toBe(true);
  proof.forEach((_, i) => expect(verifyConsistency({ ...check, proof: withFlip(proof, i, m * 17 + n + i * 5) })).toBe(false));
  expect(verifyConsistency({ ...check, root1: flipBit(check.root1, m + n) })).toBe(false);
  expect(verifyConsistency({ ...check, root2: flipBit(check.root2, m * n) })).toBe(false);
  for (const wrong of new Set([m - 1, m + 1, m ^ 1, m ^ 2, 2 * m, n + 1])) {
    if (wrong !== m && wrong >= 0 && wrong <= LEAVES.length) {
      expect(verifyConsistency({ ...check, size1: wrong, root1: naive.mth(0, wrong) }), `size1 ${wrong} for ${m}→${n}`).toBe(false);
    }
  }
  for (const wrong of new Set([n - 1, n + 1, 2 * n, n + 3])) {
    if (wrong !== n && wrong >= 0 && wrong <= LEAVES.length) {
      expect(verifyConsistency({ ...check, size2: wrong, root2: naive.mth(0, wrong) }), `size2 ${wrong} for ${m}→${n}`).toBe(false);
    }
  }
}

describe('Merkle tree (RFC 6962 / RFC 9162)', () => {
  describe('input validation', () => {
    it('refuses proofs for leaves or sizes that do not exist', () => {
      for (const [index, size] of [[0, 0], [1, 1], [5, 3], [-1, 4], [0.5, 4], [0, Number.NaN], [2 ** 53, 2 ** 53 + 1]] as const) {
        expect(() => inclusionProofRanges(index, size), `${index}/${size}`).toThrow(RangeError);
      }
      for (const [size1, size2] of [[0, 0], [0, 5], [3, 2], [-1, 2], [1.5, 2]] as const) {
        expect(() => consistencyProofRanges(size1, size2), `${size1}→${size2}`).toThrow(RangeError);
      }
      expect(consistencyProofRanges(5, 5)).toEqual([]);
      expect(() => tree.inclusionProof(0, LEAVES.length + 1)).toThrow(RangeError);
      expect(() => tree.root(LEAVES.length + 1)).toThrow(RangeError);
      expect(() => tree.lookup({ level: 12, index: 1 })).toThrow(RangeError);
    });

    it('refuses to hash a range whose RFC splits do not fall on perfect subtrees', () => {
      const store = lookupFromMap(new Map(nodesForRanges([{ begin: 0, end: 64 }]).map((r) => [nodeKey(r), tree.lookup(r)])));
      // [1, 4) = leaf 1 + [2, 4), but MTH of a 3-leaf list pairs its first two leaves.
      expect(() => hashRange({ begin: 1, end: 4 }, store)).toThrow(RangeError);
      expect(() => hashRange({ begin: 3, end: 2 }, store)).toThrow(RangeError);
      // Exhaustively: every range either hashes to the RFC value of that list, or throws.
      for (let end = 0; end <= 40; end++) {
        for (let begin = 0; begin <= end; begin++) {
          const range = { begin, end };
          const lookup = lookupFromMap(new Map(nodesForRanges([range]).map((r) => [nodeKey(r), tree.lookup(r)])));
          if (isFoldableRange(range)) expect(hex(hashRange(range, lookup)), `[${begin}, ${end})`).toBe(hex(new NaiveTree(LEAVES.slice(begin, end)).mth(0, end - begin)));
          else expect(() => hashRange(range, lookup), `[${begin}, ${end})`).toThrow(RangeError);
        }
      }
    });

    it('refuses a stored node that is not a 32-byte hash, and a missing one', () => {
      expect(() => hashRange({ begin: 0, end: 2 }, () => Buffer.alloc(31))).toThrow(TypeError);
      expect(() => hashRange({ begin: 0, end: 3 }, lookupFromMap(new Map()))).toThrow(RangeError);
      expect(() => appendLeaf(0, Buffer.alloc(33), [])).toThrow(TypeError);
      expect(() => appendLeaf(3, Buffer.alloc(32), [Buffer.alloc(32)])).toThrow(RangeError);
    });

    it('decomposes ranges into maximal aligned perfect subtrees, left to right', () => {
      const refs = (begin: number, end: number) => perfectSubtrees({ begin, end }).map(({ level, index }) => [level, index]);
      expect(refs(0, 0)).toEqual([]);
      expect(refs(0, 7)).toEqual([[2, 0], [1, 2], [0, 6]]);
      expect(refs(1, 7)).toEqual([[0, 1], [1, 1], [1, 2], [0, 6]]);
      expect(refs(0, 8)).toEqual([[3, 0]]);
      expect(refs(5, 13)).toEqual([[0, 5], [1, 3], [2, 2], [0, 12]]);
      expect(frontier(2 ** 53 - 1)).toHaveLength(53);
      expect(frontier(2 ** 53 - 1).at(-1)).toEqual({ level: 0, index: 2 ** 53 - 2 });
    });
  });

  describe('CT reference tree (google/certificate-transparency)', () => {
    const ctLeaves = ct.inputs.map((input) => leafHash(Buffer.from(input, 'hex')));
    const ctTree = new MemoryTree();
    for (const leaf of ctLeaves) ctTree.append(leaf);

    it('hashes the empty tree, leaves and nodes with domain separation', () => {
      expect(hex(EMPTY_ROOT)).toBe(ct.empty_root);
      expect(hex(new MemoryTree().root())).toBe(ct.empty_root);
      expect(hex(root(0, () => Buffer.alloc(0)))).toBe(ct.empty_root);
      ct.inputs.forEach((input) => expect(hex(leafHash(Buffer.from(input, 'hex')))).toBe(hex(naiveLeafHash(Buffer.from(input, 'hex')))));
      const [a, b] = [ctLeaves[0] as Buffer, ctLeaves[1] as Buffer];
      expect(hex(nodeHash(a, b))).toBe(hex(sha256(Buffer.from([1]), a, b)));
    });

    it('matches the roots for sizes 1..8 and the stored node hashes', () => {
      for (const [size, want] of Object.entries(ct.roots_by_size)) expect(hex(ctTree.root(Number(size))), `size ${size}`).toBe(want);
      ct.node_hashes_by_level.forEach((hashes, level) =>
        hashes.forEach((want, index) => expect(hex(ctTree.lookup({ level, index })), `${level}:${index}`).toBe(want)),
      );
    });

    it('matches the inclusion paths', () => {
      for (const { leaf_index, tree_size, path: want } of ct.inclusion_paths) {
        const proof = ctTree.inclusionProof(leaf_index, tree_size);
        expect(proof.map(hex)).toEqual(want);
        const check = { leafHash: ctLeaves[leaf_index] as Buffer, index: leaf_index, size: tree_size, proof, root: ctTree.root(tree_size) };
        expect(verifyInclusion(check)).toBe(true);
      }
    });

    it('matches the consistency proofs', () => {
      for (const { size1, size2, proof: want } of ct.consistency_proofs) {
        const proof = ctTree.consistencyProof(size1, size2);
        expect(proof.map(hex)).toEqual(want);
        expect(verifyConsistency({ size1, size2, proof, root1: ctTree.root(size1), root2: ctTree.root(size2) })).toBe(true);
      }
    });
  });

  describe('transparency-dev/merkle probes', () => {
    it('rejects every wrong inclusion probe and accepts every right one', () => {
      expect(vectors.tdev_probes.inclusion.length).toBeGreaterThan(90);
      for (const p of vectors.tdev_probes.inclusion) {
        const check = { leafHash: b64(p.leafHash), index: p.leafIdx, size: p.treeSize, proof: p.proof.map(b64), root: b64(p.root) };
        expect(verifyInclusion(check), p.file).toBe(!p.wantErr);
      }
    });

    it('rejects every wrong consistency probe and accepts every right one', () => {
      expect(vectors.tdev_probes.consistency.length).toBeGreaterThan(90);
      for (const p of vectors.tdev_probes.consistency) {
        const check = { size1: p.size1, size2: p.size2, proof: p.proof.map(b64), root1: b64(p.root1), root2: b64(p.root2) };
        expect(verifyConsistency(check), p.file).toBe(!p.wantErr);
      }
    });

    it('returns false, never throws, on malformed input', () => {
      const leaf = LEAVES[0] as Buffer;
      const proof = tree.inclusionProof(0, 8);
      const rootHash = tree.root(8);
      const bad: unknown[] = [Number.NaN, -1, 1.5, Infinity, 2 ** 64];
      for (const index of bad) expect(verifyInclusion({ leafHash: leaf, index: index as number, size: 8, proof, root: rootHash })).toBe(false);
      for (const size of bad) expect(verifyInclusion({ leafHash: leaf, index: 0, size: size as number, proof, root: rootHash })).toBe(false);
      expect(verifyInclusion({ leafHash: leaf, index: 0, size: 8, proof: [...proof.slice(0, 2), Buffer.alloc(31)], root: rootHash })).toBe(false);
      expect(verifyInclusion({ leafHash: leaf, index: 0, size: 8, proof: [...proof, Buffer.alloc(0)], root: rootHash })).toBe(false);
      expect(verifyInclusion({ leafHash: leaf, index: 0, size: 8, proof: null as unknown as Buffer[], root: rootHash })).toBe(false);
      const cons = tree.consistencyProof(3, 8);
      const [root3, root8] = [tree.root(3), tree.root(8)];
      for (const size1 of bad) expect(verifyConsistency({ size1: size1 as number, size2: 8, proof: cons, root1: root3, root2: root8 })).toBe(false);
      expect(verifyConsistency({ size1: 3, size2: 8, proof: [...cons.slice(1), Buffer.alloc(33)], root1: root3, root2: root8 })).toBe(false);
      expect(verifyConsistency({ size1: 3, size2: 8, proof: cons, root1: root3.subarray(1), root2: root8 })).toBe(false);
      expect(verifyConsistency({ size1: 8, size2: 8, proof: [root8], root1: root8, root2: root8 })).toBe(false);
      expect(verifyConsistency({ size1: 0, size2: 0, proof: [], root1: EMPTY_ROOT, root2: EMPTY_ROOT })).toBe(false);
    });
  });

  describe('against a naive RFC 6962 implementation', () => {
    it('agrees on every root up to 300 leaves and on random sizes up to 4096', () => {
      for (let n = 0; n <= 300; n++) expect(hex(tree.root(n)), `root ${n}`).toBe(hex(naive.mth(0, n)));
      const random = mulberry32(1);
      for (let i = 0; i < 200; i++) {
        const n = 1 + Math.floor(random() * LEAVES.length);
        expect(hex(tree.root(n)), `root ${n}`).toBe(hex(naive.mth(0, n)));
      }
    });

    it('agrees on every inclusion proof up to 70 leaves; verify rejects flips, wrong index and size', () => {
      for (let n = 1; n <= 70; n++) for (let m = 0; m < n; m++) expectInclusionChecks(m, n);
    });

    it('agrees on every consistency proof up to 70 leaves; verify rejects flips and wrong sizes', () => {
      for (let n = 1; n <= 70; n++) for (let m = 1; m <= n; m++) expectConsistencyChecks(m, n);
    });

    it('agrees on random inclusion and consistency proofs up to 4096 leaves', () => {
      const random = mulberry32(2);
      for (let i = 0; i < 300; i++) {
        const n = 1 + Math.floor(random() * LEAVES.length);
        expectInclusionChecks(Math.floor(random() * n), n);
        expectConsistencyChecks(1 + Math.floor(random() * n), n);
      }
      // The edges: powers of two and their neighbours.
      for (const n of [1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096]) {
        for (const m of [1, n - 1, n >> 1, (n >> 1) + 1]) {
          if (m >= 1 && m <= n) expectConsistencyChecks(m, n);
          if (m < n) expectInclusionChecks(m, n);
        }
      }
    });

    it('rejects every single-bit flip of a proof element and of the hashes it binds', () => {
      const cases = [[5, 8], [0, 7], [6, 7], [12, 37]] as const;
      for (const [m, n] of cases) {
        const proof = tree.inclusionProof(m, n);
        const check = { leafHash: LEAVES[m] as Buffer, index: m, size: n, proof, root: tree.root(n) };
        for (let bit = 0; bit < 256; bit++) {
          proof.forEach((_, i) => expect(verifyInclusion({ ...check, proof: withFlip(proof, i, bit) })).toBe(false));
          expect(verifyInclusion({ ...check, leafHash: flipBit(check.leafHash, bit) })).toBe(false);
          expect(verifyInclusion({ ...check, root: flipBit(check.root, bit) })).toBe(false);
        }
      }
      for (const [m, n] of [[4, 8], [6, 8], [3, 37], [5, 5]] as const) {
        const proof = tree.consistencyProof(m, n);
        const check = { size1: m, size2: n, proof, root1: tree.root(m), root2: tree.root(n) };
        for (let bit = 0; bit < 256; bit++) {
          proof.forEach((_, i) => expect(verifyConsistency({ ...check, proof: withFlip(proof, i, bit) })).toBe(false));
          expect(verifyConsistency({ ...check, root1: flipBit(check.root1, bit) })).toBe(false);
          expect(verifyConsistency({ ...check, root2: flipBit(check.root2, bit) })).toBe(false);
        }
      }
    });
  });

  describe('appendLeaf', () => {
    it('completes exactly the new perfect subtrees, each equal to the naive MTH of its range', () => {
      const store = new Map<string, Buffer>();
      const lookup = lookupFromMap(store);
      for (let size = 0; size < 600; size++) {
        const completed = appendLeaf(size, LEAVES[size] as Buffer, frontier(size).map(lookup));
        expect(completed[0]?.ref).toEqual({ level: 0, index: size });
        completed.forEach(({ ref, hash }, i) => {
          if (i > 0) expect(ref.level).toBe((completed[i - 1] as { ref: NodeRef }).ref.level + 1);
          const width = 2 ** ref.level;
          expect(hex(hash), nodeKey(ref)).toBe(hex(naive.mth(ref.index * width, (ref.index + 1) * width)));
          expect(store.has(nodeKey(ref)), `${nodeKey(ref)} completed twice`).toBe(false);
          store.set(nodeKey(ref), hash);
        });
        // Every perfect subtree inside [0, size + 1) is stored, and nothing else.
        let perfect = 0;
        for (let width = 1; width <= size + 1; width *= 2) perfect += Math.floor((size + 1) / width);
        expect(store.size).toBe(perfect);
      }
    });

    it('stores enough to answer every root and proof from stored nodes only', () => {
      const store = new Map<string, Buffer>();
      const lookup = lookupFromMap(store);
      const size = 150;
      for (let i = 0; i < size; i++) {
        for (const { ref, hash } of appendLeaf(i, LEAVES[i] as Buffer, frontier(i).map(lookup))) store.set(nodeKey(ref), hash);
      }
      for (let n = 1; n <= size; n++) {
        expect(hex(root(n, lookup))).toBe(hex(naive.mth(0, n)));
        for (let m = 0; m < n; m += 7) {
          const ranges = inclusionProofRanges(m, n);
          const fetched = lookupFromMap(new Map(nodesForRanges(ranges).map((ref) => [nodeKey(ref), lookup(ref)])));
          expect(buildProof(ranges, fetched).map(hex)).toEqual(naive.path(m, 0, n).map(hex));
        }
        for (let m = 1; m <= n; m += 5) {
          const ranges = consistencyProofRanges(m, n);
          const fetched = lookupFromMap(new Map(nodesForRanges(ranges).map((ref) => [nodeKey(ref), lookup(ref)])));
          expect(buildProof(ranges, fetched).map(hex)).toEqual(naive.proof(m, n).map(hex));
        }
      }
    });

    it('MemoryTree.appendHex completes the same nodes as append, packed as an entry stores them', () => {
      const byBuffer = new MemoryTree();
      const byHex = new MemoryTree();
      for (let i = 0; i < 300; i++) {
        const leaf = LEAVES[i] as Buffer;
        expect(byHex.appendHex(hex(leaf)), `leaf ${i}`).toBe(hex(packCompleted(byBuffer.append(leaf))));
      }
      expect(hex(byHex.root())).toBe(hex(byBuffer.root()));
      expect(hex(byHex.root(137))).toBe(hex(naive.mth(0, 137)));
      expect(() => byHex.appendHex('zz'.repeat(32))).toThrow(TypeError);
      expect(() => byHex.appendHex('00')).toThrow(TypeError);
      expect(byHex.size).toBe(300);
    });

    it('plans few nodes per proof, each fetched once', () => {
      const ranges = [...inclusionProofRanges(123_456, 1_000_000), ...consistencyProofRanges(999_999, 1_000_000)];
      const refs = nodesForRanges(ranges);
      expect(new Set(refs.map(nodeKey)).size).toBe(refs.length);
      expect(refs.length).toBeLessThanOrEqual(80);
    });
  });

  describe('MemoryTree joined from ranges built apart', () => {
    const leaves = Array.from({ length: 100 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    const whole = new MemoryTree();
    for (const leaf of leaves) whole.append(leaf);

    it.each([1, 2, 3, 5])('ranges of 2^%i leaves, laid end to end, give the same tree', (alignLevel) => {
      for (const size of [0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 100]) {
        const parts: MemoryTree[] = [];
        for (let begin = 0; begin < size; begin += 2 ** alignLevel) {
          const part = new MemoryTree();
          for (const leaf of leaves.slice(begin, Math.min(size, begin + 2 ** alignLevel))) part.appendHex(leaf.toString('hex'));
          parts.push(part);
        }
        const levels = Array.from({ length: alignLevel + 1 }, (_, level) => parts.map((p) => p.levelHashes(level)));
        const joined = MemoryTree.fromLevels(levels, size);
        expect(joined.size).toBe(size);
        for (let s = 0; s <= size; s++) expect(joined.root(s).equals(whole.root(s)), `size ${size}, root(${s})`).toBe(true);
        for (let s = 1; s < size; s++) expect(joined.consistencyProof(s, size)).toEqual(whole.consistencyProof(s, size));
      }
    });

    it('refuses levels that do not hold what a tree of that size has', () => {
      expect(() => MemoryTree.fromLevels([[leaves[0]!]], 2)).toThrow(/level 0 of a tree of 2 has 2 nodes, not 1/);
      expect(() => MemoryTree.fromLevels([], 1)).toThrow(/needs at least its leaf level/);
    });

    it('takes the last leaf back with undoAppend', () => {
      const tree = new MemoryTree();
      for (const leaf of leaves.slice(0, 6)) tree.append(leaf);
      tree.appendHex('ff'.repeat(32));
      tree.undoAppend();
      tree.append(leaves[6]!);
      expect(tree.root().equals(whole.root(7))).toBe(true);
      expect(() => new MemoryTree().undoAppend()).toThrow(/empty/);
    });
  });

  it('scales to a million leaves', () => {
    const size = 1_000_000;
    const big = new MemoryTree();
    // Any 32 bytes are a valid leaf hash; writing the index avoids a million extra SHA-256 calls.
    const leafAt = (i: number) => {
      const leaf = Buffer.alloc(32);
      leaf.writeUInt32BE(i, 28);
      return leaf;
    };
    for (let i = 0; i < size; i++) big.append(leafAt(i));
    expect(big.size).toBe(size);
    const rootHash = big.root();
    for (const index of [0, 1, 524_287, 524_288, 999_998, 999_999, 123_456]) {
      const proof = big.inclusionProof(index);
      expect(proof.length).toBeLessThanOrEqual(20);
      expect(verifyInclusion({ leafHash: leafAt(index), index, size, proof, root: rootHash }), `leaf ${index}`).toBe(true);
      expect(verifyInclusion({ leafHash: leafAt(index + 1), index, size, proof, root: rootHash })).toBe(false);
    }
    for (const size1 of [1, 2, 3, 524_288, 524_289, 700_001, 999_999, size]) {
      const proof = big.consistencyProof(size1);
      const check = { size1, size2: size, proof, root1: big.root(size1), root2: rootHash };
      expect(verifyConsistency(check), `${size1}→${size}`).toBe(true);
      expect(verifyConsistency({ ...check, size1: size1 - 1, root1: big.root(size1 - 1) })).toBe(false);
    }
    const proof = big.consistencyProof(300_000, 700_000);
    expect(verifyConsistency({ size1: 300_000, size2: 700_000, proof, root1: big.root(300_000), root2: big.root(700_000) })).toBe(true);
  });
});
