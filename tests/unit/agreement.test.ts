import { describe, expect, it } from 'vitest';
import { agreementToCsv, cohensKappa, fleissKappa, segmentationAgreement } from '@/lib/annotations/agreement';
import { decodeLabelmapRle, encodeLabelmapRle, LabelmapFormatError } from '@/lib/annotations/labelmap-rle.client';
import { seededRandom as random } from '@/models/seeded-random';

// The reference: decode both maps and count voxel by voxel.
function naiveAgreement(a: Uint8Array, b: Uint8Array, voxelCount: number, classes: number[]) {
  const va = decodeLabelmapRle(a, voxelCount);
  const vb = decodeLabelmapRle(b, voxelCount);
  return classes.map((value) => {
    let inA = 0;
    let inB = 0;
    let both = 0;
    let either = 0;
    for (let i = 0; i < voxelCount; i++) {
      const x = va[i] === value;
      const y = vb[i] === value;
      if (x) inA++;
      if (y) inB++;
      if (x && y) both++;
      if (x || y) either++;
    }
    return { value, a: inA, b: inB, intersection: both, dice: either ? (2 * both) / (inA + inB) : null, iou: either ? both / either : null };
  });
}

const [X, Y, Z] = [24, 20, 9];

// A reader's segmentation: a few balls of classes 1–4 at random places, later ones painting over.
function paint(rand: () => number, balls: number): Uint8Array {
  const voxels = new Uint8Array(X * Y * Z);
  for (let k = 0; k < balls; k++) {
    const value = 1 + Math.floor(rand() * 4);
    const [cx, cy, cz, r] = [rand() * X, rand() * Y, rand() * Z, 1 + rand() * 5];
    for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) if ((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 <= r * r) voxels[(z * Y + y) * X + x] = value;
  }
  return voxels;
}

// Textbook example (Wikipedia, "Cohen's kappa"): 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.
function twoRaters(yy: number, yn: number, ny: number, nn: number): [string[], string[]] {
  const pairs = [...Array<[string, string]>(yy).fill(['yes', 'yes']), ...Array<[string, string]>(yn).fill(['yes', 'no']), ...Array<[string, string]>(ny).fill(['no', 'yes']), ...Array<[string, string]>(nn).fill(['no', 'no'])];
  return [pairs.map(([a]) => a), pairs.map(([, b]) => b)];
}

// Fleiss (1971) as worked on Wikipedia ("Fleiss' kappa"): 10 items, 14 raters, 5 categories; nij per row.
const FLEISS_TABLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];
const fromTable = (table: number[][]) => table.map((row) => row.flatMap((count, j) => Array<string>(count).fill(`c${j + 1}`)));

describe('segmentation agreement', () => {
  it('matches a voxel-by-voxel count on random multi-class segmentations, absent classes null', () => {
    const rand = random(7);
    const classes = [1, 2, 3, 4, 9, 0];
    for (let trial = 0; trial < 30; trial++) {
      const a = paint(rand, 1 + Math.floor(rand() * 6));
      // The second reader mostly agrees: the first's map with some balls of their own on top.
      const b = trial % 3 === 0 ? paint(rand, 4) : a.slice();
      const extra = paint(rand, Math.floor(rand() * 3));
      for (let i = 0; i < b.length; i++) if (extra[i]) b[i] = extra[i]!;
      const [ra, rb] = [encodeLabelmapRle(a), encodeLabelmapRle(b)];
      const result = segmentationAgreement(ra, rb, a.length, classes);
      const expected = naiveAgreement(ra, rb, a.length, classes);
      expect(result.map(({ value, a, b, intersection }) => ({ value, a, b, intersection }))).toEqual(expected.map(({ value, a, b, intersection }) => ({ value, a, b, intersection })));
      result.forEach((r, i) => {
        const e = expected[i]!;
        for (const key of ['dice', 'iou'] as const) {
          if (e[key] === null) expect(r[key]).toBeNull();
          else expect(r[key]).toBeCloseTo(e[key], 12);
        }
      });
      expect(result.find((r) => r.value === 9)).toEqual({ value: 9, a: 0, b: 0, intersection: 0, dice: null, iou: null });
    }
  });

  it('gives a small hand-made case exactly', () => {
    // Class 1: A = {0,1,2,3}, B = {2,3,4}; class 2: A = {6}, B = {}; class 3 nowhere.
    const a = encodeLabelmapRle(Uint8Array.from([1, 1, 1, 1, 0, 0, 2, 0]));
    const b = encodeLabelmapRle(Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 0]));
    expect(segmentationAgreement(a, b, 8, [1, 2, 3])).toEqual([
      { value: 1, a: 4, b: 3, intersection: 2, dice: 4 / 7, iou: 2 / 5 },
      { value: 2, a: 1, b: 0, intersection: 0, dice: 0, iou: 0 },
      { value: 3, a: 0, b: 0, intersection: 0, dice: null, iou: null },
    ]);
  });

  it('is 1 for identical maps and 0 for disjoint ones', () => {
    const map = paint(random(3), 5);
    const rle = encodeLabelmapRle(map);
    const present = [1, 2, 3, 4].filter((v) => map.includes(v));
    expect(present.length).toBeGreaterThan(1);
    for (const r of segmentationAgreement(rle, rle, map.length, present)) expect(r).toMatchObject({ dice: 1, iou: 1, a: r.intersection, b: r.intersection });
    const left = new Uint8Array(X * Y * Z).fill(1, 0, 1000);
    const right = new Uint8Array(X * Y * Z).fill(1, 1000, 2500);
    expect(segmentationAgreement(encodeLabelmapRle(left), encodeLabelmapRle(right), left.length, [1])).toEqual([{ value: 1, a: 1000, b: 1500, intersection: 0, dice: 0, iou: 0 }]);
  });

  it('handles an empty volume, and validates both payloads like decoding', () => {
    expect(segmentationAgreement(new Uint8Array(0), new Uint8Array(0), 0, [1])).toEqual([{ value: 1, a: 0, b: 0, intersection: 0, dice: null, iou: null }]);
    const good = encodeLabelmapRle(new Uint8Array(10).fill(1, 2, 5));
    expect(() => segmentationAgreement(good, Uint8Array.from([5, 0, 5, 0]), 10, [1])).toThrow(LabelmapFormatError);
    expect(() => segmentationAgreement(Uint8Array.from([9, 0]), good, 10, [1])).toThrow(/ends early: 9 voxels encoded, volume has 10/);
    // A labelmap of another volume's size is caught even when the other ends first.
    expect(() => segmentationAgreement(good, encodeLabelmapRle(new Uint8Array(11)), 10, [1])).toThrow(/outside the volume: 11 voxels encoded, volume has 10/);
    expect(() => segmentationAgreement(good, Uint8Array.from([10, 0, 1, 1]), 10, [1])).toThrow(/outside the volume/);
    expect(() => segmentationAgreement(good, good, 10, [256])).toThrow(RangeError);
  });
});

describe("Cohen's kappa", () => {
  it('matches textbook examples', () => {
    // po = 0.7, pe = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    expect(cohensKappa(...twoRaters(20, 5, 10, 15))).toBeCloseTo(0.4, 12);
    // Same po = 0.6, different marginals: κ = 0.06/0.46 and 0.14/0.54 (Wikipedia's pair).
    expect(cohensKappa(...twoRaters(45, 15, 25, 15))).toBeCloseTo(3 / 23, 12);
    expect(cohensKappa(...twoRaters(25, 35, 5, 35))).toBeCloseTo(7 / 27, 12);
  });

  it('is 1 for perfect agreement, −1 for perfect systematic disagreement, symmetric', () => {
    expect(cohensKappa(['a', 'b', 'c', 'a'], ['a', 'b', 'c', 'a'])).toBe(1);
    expect(cohensKappa(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a'])).toBe(-1);
    const [a, b] = twoRaters(3, 7, 2, 9);
    expect(cohensKappa(a, b)).toBe(cohensKappa(b, a));
  });

  it('is null when undefined: no items, or one shared category throughout', () => {
    expect(cohensKappa([], [])).toBeNull();
    expect(cohensKappa(['x', 'x', 'x'], ['x', 'x', 'x'])).toBeNull();
    // One rater constant but the other not: pe < 1, κ defined (and 0: no agreement beyond chance).
    expect(cohensKappa(['x', 'x', 'x', 'x'], ['x', 'y', 'x', 'y'])).toBe(0);
  });

  it('throws when the raters answered different numbers of items', () => {
    expect(() => cohensKappa(['a', 'b'], ['a'])).toThrow(/same items from both raters: 2 and 1 answers/);
  });
});

describe("Fleiss' kappa", () => {
  it('matches the Fleiss (1971) worked example', () => {
    // P̄ = 0.378022, P̄e = 0.212755 (computed independently), κ ≈ 0.210.
    const kappa = fleissKappa(fromTable(FLEISS_TABLE));
    expect(kappa).toBeCloseTo(0.20993070442195522, 12);
    expect(kappa!.toFixed(3)).toBe('0.210');
  });

  it("equals Scott's pi for two raters", () => {
    // Cohen's example pooled: p(yes) = 55/100, pe = 0.55² + 0.45² = 0.505, π = (0.7 − 0.505) / 0.495 = 13/33.
    const [a, b] = twoRaters(20, 5, 10, 15);
    expect(fleissKappa(a.map((x, i) => [x, b[i]!]))).toBeCloseTo(13 / 33, 12);
  });

  it('is 1 for unanimous items across categories, null when undefined', () => {
    expect(fleissKappa([['a', 'a', 'a'], ['b', 'b', 'b'], ['c', 'c', 'c']])).toBe(1);
    expect(fleissKappa([])).toBeNull();
    expect(fleissKappa([['a', 'a'], ['a', 'a']])).toBeNull();
  });

  it('takes items with different numbers of ratings, each agreeing over its own pairs', () => {
    // P_1 = 2/6 (a a b: 1 agreeing pair of 3), P_2 = 1 (b b), P_3 = 0 (a b); P̄ = 4/9.
    // Shares over the 7 ratings: a 3/7, b 4/7, P̄e = 25/49; κ = (4/9 − 25/49) / (24/49) = −29/216.
    expect(fleissKappa([['a', 'a', 'b'], ['b', 'b'], ['a', 'b']])).toBeCloseTo(-29 / 216, 12);
    // The same number everywhere: Fleiss' own formula, item order and raters' order aside.
    const table = fromTable(FLEISS_TABLE);
    expect(fleissKappa([...table].reverse().map((item) => [...item].reverse()))).toBeCloseTo(0.20993070442195522, 12);
  });

  it('throws unless every item has at least two ratings', () => {
    expect(() => fleissKappa([['a', 'b'], ['a']])).toThrow(/at least 2 ratings per item: item 1 has 1/);
    expect(() => fleissKappa([[], []])).toThrow(RangeError);
  });
});

describe('agreement CSV', () => {
  it('writes a header and RFC 4180 rows: quoting, null, missing columns, numbers', () => {
    const csv = agreementToCsv(
      [
        { reader: 'Dr. Smith, MD', class: 'Nodule "solid"', dice: 6 / 7, voxels: 1234567, kappa: -0.2, note: null },
        { reader: 'two\nlines', class: 'Lung', dice: 0.5, voxels: 0, kappa: 1e-9 },
      ],
      ['reader', 'class', 'dice', 'voxels', 'kappa', 'note'],
    );
    expect(csv).toBe('reader,class,dice,voxels,kappa,note\r\n"Dr. Smith, MD","Nodule ""solid""",0.857143,1234567,-0.2,\r\n"two\nlines",Lung,0.5,0,0,\r\n');
    expect(agreementToCsv([], ['a'])).toBe('a\r\n');
    expect(agreementToCsv([{ x: 1 / 3 }, { x: 2.5e-7 }, { x: 123456.1234567 }], ['x'])).toBe('x\r\n0.333333\r\n0\r\n123456.123457\r\n');
  });

  it('defuses formulas in text cells, not negative numbers', () => {
    const csv = agreementToCsv([{ a: '=SUM(A1:A9)', b: '+1', c: '-1', d: '@cmd', e: '=HYPERLINK("http://x","y")', f: -1, g: '\tx' }], ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(csv.split('\r\n')[1]).toBe(`'=SUM(A1:A9),'+1,'-1,'@cmd,"'=HYPERLINK(""http://x"",""y"")",-1,'\tx`);
    expect(agreementToCsv([], ['=cmd'])).toBe("'=cmd\r\n");
  });

  it('refuses NaN and infinities rather than writing them', () => {
    expect(() => agreementToCsv([{ x: Number.NaN }], ['x'])).toThrow(RangeError);
    expect(() => agreementToCsv([{ x: Infinity }], ['x'])).toThrow(RangeError);
  });
});
